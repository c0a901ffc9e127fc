// Shared by the agent (lib/agent.mjs, in the worker's job processes) and the tests, which must not import the agent
// file itself: it loads @livekit/agents and the 0.13 rtc-node.
export const MIC_TRACK = 'mic';
export const LISTEN_SAMPLE_RATE = 16_000;
export const LISTEN_CHANNELS = 1;
/** How long a job records the user's tone once the first audible frame arrived. */
export const LISTEN_MS = 2000;
