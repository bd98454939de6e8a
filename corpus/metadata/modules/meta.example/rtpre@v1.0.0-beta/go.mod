module meta.example/rtpre

go 1.21

retract v1.0.0-alpha // superseded
retract v1.0.0-beta // retracts itself
