# sysctld tests
