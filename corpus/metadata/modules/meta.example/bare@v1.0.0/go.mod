module meta.example/bare
