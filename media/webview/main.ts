// PLACEHOLDER until the chat panel lands (issue 7).
export {};
