module tykdeps.test/packages-oracle

go 1.26.0
