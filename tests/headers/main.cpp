// The header units hold no program of their own; this links them together.
int main() { return 0; }
