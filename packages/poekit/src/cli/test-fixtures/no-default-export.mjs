// A module that forgot its `export default`.
export const greeting = "hello";
