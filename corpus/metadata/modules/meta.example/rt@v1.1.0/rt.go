package rt

// V names this version.
const V = "v1.1.0"
