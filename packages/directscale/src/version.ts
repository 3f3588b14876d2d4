/** Sent in the User-Agent; test/version.test.ts keeps it equal to package.json's. */
export const packageVersion = "0.1.0";
