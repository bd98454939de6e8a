module example.com/m

toolchain 1.21
