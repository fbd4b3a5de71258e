// vader-sentiment ships no types; fairkit reads only its analyser (see vader.ts).
declare module "vader-sentiment";
