// Deprecated:
module meta.example/depempty

go 1.21
