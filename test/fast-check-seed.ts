import fc from 'fast-check';

/**
 * Property tests run with a fixed seed so no CI run can fail by chance: a counterexample found
 * once is found every time, and fixing it is a code change, not a re-run. To explore new inputs,
 * run with `FC_SEED=<n>` (or `FC_SEED=random`); a failure prints the seed that reproduces it.
 */
const requested = process.env.FC_SEED;
if (requested !== 'random') {
  fc.configureGlobal({ seed: requested ? Number(requested) : 20_261_201 });
}
