module lab.example/plugin/gateway-package-dir-replace

go 1.21

require lab.example/gateway v1.0.0

replace lab.example/gateway => ../gateway
