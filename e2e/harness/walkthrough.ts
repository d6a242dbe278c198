import { expect, onTestFinished } from "vitest";
import { Transcript } from "./transcript.js";

/**
 * walkthrough starts the transcript of the running test, named for the walkthrough, and saves it to
 * e2e/transcripts/<name>.txt when the test ends, passed or failed. E2E_TRANSCRIPT=1 also echoes it as it goes.
 */
export function walkthrough(name: string): Transcript {
  const transcript = new Transcript(name, process.env.E2E_TRANSCRIPT === "1");
  transcript.note(`walkthrough: ${expect.getState().currentTestName ?? name}`);
  onTestFinished(() => {
    transcript.save();
  });
  return transcript;
}
