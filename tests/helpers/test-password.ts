/**
 * The scrypt cost test servers hash new passwords with (the server's `passwordCost` hook): 2^10
 * instead of production's 2^15, which was more than half of many integration tests' time. The
 * hashing code is the same; verifying reads the cost from the stored hash, and
 * tests/unit/server/auth/password.test.ts checks the production default.
 */
export const TEST_PASSWORD_COST = 1 << 10;
