/** Replaced at build time by scripts/build.ts; from source it reads package.json's version. */
export const VERSION: string = process.env.MALLET_BUILD_VERSION ?? "0.1.0-dev";
