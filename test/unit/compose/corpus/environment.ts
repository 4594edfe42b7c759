/**
 * The fixed surroundings both loaders run in for the corpus, so that a recorded reference
 * does not depend on who recorded it or where the checkout lives: a clean environment (no
 * COMPOSE_* or other variables of the caller, a fixed HOME that does not exist) and the
 * corpus directory written as one placeholder in every path of the output.
 */
import { CORPUS } from "./entries.ts";

export const CORPUS_PLACEHOLDER = "/compose-corpus";

export const CORPUS_ENVIRONMENT: Readonly<Record<string, string>> = {
  HOME: "/nonexistent/corpus-home",
  PATH: "/usr/bin:/bin",
};

/** Replaces the corpus's absolute location, wherever the checkout is, by the placeholder. */
export function placeCorpus(text: string, corpus = CORPUS): string {
  return text.split(corpus).join(CORPUS_PLACEHOLDER);
}
