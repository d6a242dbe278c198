/** The e2e suite lands with the end-to-end walkthroughs issue; this file keeps the package type-checkable. */
export {};
