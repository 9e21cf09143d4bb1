/** The grouped bootstrap lives in util/ (graph induction uses it too); re-exported here for the faithfulness API. */
export * from "../util/bootstrap";
