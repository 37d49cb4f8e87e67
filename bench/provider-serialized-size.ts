/**
 * Measures the text Pulumi stores in `__provider` for partnerlink's dynamic resources: the closure serializer
 * the dynamic Resource uses (`serializeFunction(() => provider, { allowSecrets: true })`) over the compiled
 * providers. Run: `npm run build && node dist/bench/provider-serialized-size.js` (SHOW=1 prints the text).
 */
import * as pulumi from "@pulumi/pulumi";
import { LighthouseOnboardingProvider, PartnerAdminLinkProvider } from "../provider";

async function main(): Promise<void> {
  for (const p of [new PartnerAdminLinkProvider(), new LighthouseOnboardingProvider()]) {
    const sf = await pulumi.runtime.serializeFunction(() => p, { allowSecrets: true });
    console.log(`${p.constructor.name}: ${sf.text.length} bytes of serialized provider text; containsSecrets=${sf.containsSecrets}`);
    if (process.env.SHOW) console.log(sf.text);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
