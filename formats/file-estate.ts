import type { Waiver } from "../rules/config-types";
import type { Estate } from "../rules/model";

/** What an input adapter returns for one file (or one template + parameters pair). */
export interface FileEstate {
  estate: Estate;
  /** Waivers declared inside the input (ARM `metadata`, Terraform JSON `"//"`), resource names filled in. */
  inlineWaivers: Waiver[];
  /** Things the user should know that are not findings (e.g. a linked template that was not followed). */
  notices: string[];
}
