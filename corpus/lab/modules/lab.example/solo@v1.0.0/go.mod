module lab.example/solo

go 1.21
