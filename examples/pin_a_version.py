"""Pin the dataset release you publish with, and check it is exactly what you used.

Run: python examples/pin_a_version.py
"""

from __future__ import annotations

import sinotajik

# In your project, write down the version and checksum you used (e.g. in your paper's
# methods section), then load exactly that release on any later version of the code.
PINNED_VERSION = sinotajik.versions()[0].version
PINNED_SHA256 = sinotajik.versions()[0].sha256

ds = sinotajik.load(PINNED_VERSION)
assert ds.sha256 == PINNED_SHA256, "the pinned release changed: this must never happen"
print(f"loaded release {ds.version}: {len(ds)} records, sha256 {ds.sha256}")

print("bundled releases:")
for rel in sinotajik.versions():
    marker = " (latest)" if rel.version == sinotajik.latest_version() else ""
    print(f"  {rel.version}  released {rel.released}  {rel.records} records{marker}")
