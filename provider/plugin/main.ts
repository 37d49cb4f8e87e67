/**
 * Entry point of the `pulumi-resource-partnerlink` plugin (bin/pulumi-resource-partnerlink): the Pulumi engine
 * starts it, it prints the port of its gRPC server and serves partnerlink's resources (partnerlink-provider.ts)
 * until the engine is done. Arguments are the engine's (the engine address).
 */
import * as provider from "@pulumi/pulumi/provider";
import { VERSION } from "../../cli/version";
import { PartnerlinkProvider } from "./partnerlink-provider";

/**
 * An import's Read carries no properties (the engine sends only the ID: pkg/resource/deploy/step.go ImportStep), and
 * @pulumi/pulumi 3.270's provider server reads them unguarded (`req.getProperties().toJavaScript()` in
 * provider/server.js `read`): "Cannot read properties of undefined (reading 'toJavaScript')". The dynamic provider
 * host guards the same case. Until the server does, an absent Struct reads as an empty one.
 */
function readRequestsWithoutPropertiesReadAsEmpty(): void {
  const { ReadRequest } = require("@pulumi/pulumi/proto/provider_pb") as { ReadRequest: { prototype: { getProperties(): unknown } } };
  const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as { Struct: new () => unknown };
  const original = ReadRequest.prototype.getProperties;
  if ((original as { partnerlinkGuard?: boolean }).partnerlinkGuard) return;
  const guarded = function (this: unknown): unknown {
    return original.call(this) ?? new Struct();
  };
  (guarded as { partnerlinkGuard?: boolean }).partnerlinkGuard = true;
  ReadRequest.prototype.getProperties = guarded;
}

export function serve(args: string[]): Promise<void> {
  readRequestsWithoutPropertiesReadAsEmpty();
  return provider.main(new PartnerlinkProvider(VERSION), args);
}

if (require.main === module) {
  serve(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`pulumi-resource-partnerlink: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
