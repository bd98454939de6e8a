// deprecated: lower case does not count
module meta.example/deplower

go 1.21
