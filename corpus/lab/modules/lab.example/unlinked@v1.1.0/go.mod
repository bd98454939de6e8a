module lab.example/unlinked

go 1.21
