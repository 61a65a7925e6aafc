// The page's entry: start the checker first, then load the editor and the rest of the page.
import "./boot";

void import("./main");
