module meta.example/depsuffix // Deprecated: suffix form

go 1.21
