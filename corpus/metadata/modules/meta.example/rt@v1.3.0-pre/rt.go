package rt

// V names this version.
const V = "v1.3.0-pre"
