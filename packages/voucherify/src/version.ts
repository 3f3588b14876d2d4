/** Sent in the User-Agent; test/version.test.ts keeps it equal to package.json's. */
export const packageVersion = "1.0.0";
