module meta.example/rt

go 1.21

retract [v1.0.0, v1.2.1] // a pre-release above the latest release is not read
