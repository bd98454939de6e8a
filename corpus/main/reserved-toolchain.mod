// c
module toolchain
