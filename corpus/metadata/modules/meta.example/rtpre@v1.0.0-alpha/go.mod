module meta.example/rtpre

go 1.21
