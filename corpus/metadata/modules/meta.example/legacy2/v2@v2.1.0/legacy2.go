package legacy2

// V names this version.
const V = "v2.1.0"
