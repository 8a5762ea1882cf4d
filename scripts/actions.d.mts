/** The suite's actions: every folder of actions/ that holds an action.yml, sorted. */
export declare const ACTIONS: readonly string[];
