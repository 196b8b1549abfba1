#!/usr/bin/env python3
"""Generates a policy library of N valid organisations for benchmarks and
scale tests. Deterministic: the same N gives the same files.

usage: scripts/gen-library.py N DEST
Copies jurisdictions/, policies/ and assets/ from this repository into DEST
and writes DEST/organisations/org-00001.yaml … spread across every variant.
"""
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (jurisdiction, service, registration number format)
KINDS = [
    ("ciw", "care-home", "SIN-{:08d}-ABCD"),
    ("cqc", "care-home", "1-{:09d}"),
    ("ofsted", "childrens-home", "SC{:06d}"),
    ("cqc", "domiciliary", "1-{:010d}"),
    ("ciw", "domiciliary", "SIN-{:08d}-WXYZ"),
    ("cqc", "supported-living", "1-{:011d}"),
]
FIRST = ["Siân", "Carys", "Owain", "Margaret", "David", "Priya", "Grace", "Tom", "Joanne", "Marcus"]
LAST = ["Evans", "Price", "Okafor", "Hale", "Natarajan", "Mensah", "Whitfield", "Blake", "Eze", "Ŵyn-Jones"]
# Brand colours dark enough for WCAG AA text on white, as real providers' are.
BRANDS = ["#1f5f8b", "#2e6b3f", "#8a3b12", "#5b3f8c", "#7a1f4d", "#00565b", "#4a4a8a", "#6b4e16"]
PLACES = ["Llandeilo", "Malvern", "Brixham", "Leicester", "Biwmares", "Norwich", "Tŷ Gwyn", "Ashford"]


def profile(i):
    jurisdiction, service, reg = KINDS[i % len(KINDS)]
    first, last = FIRST[i % len(FIRST)], LAST[(i // 3) % len(LAST)]
    ri_first, ri_last = FIRST[(i + 4) % len(FIRST)], LAST[(i + 7) % len(LAST)]
    place = PLACES[i % len(PLACES)]
    month = 1 + i % 12
    day = 1 + i % 28
    # One review in seven has no approver yet: a draft awaiting approval.
    approved = "" if i % 7 == 3 else f", approved_by: {ri_first} {ri_last}"
    lines = [
        f"# Generated organisation {i}",
        f'name: "{place} Care Service {i}"',
        f'registration_no: "{reg.format(i)}"',
        f"jurisdiction: {jurisdiction}",
        f"service: {service}",
    ]
    if i % 2 == 0:
        lines.append("logo: ../assets/logos/bryn-haven.png")
    lines += [
        f"registered_manager: {{ first_name: {first}, last_name: {last} }}",
        f"responsible_individual: {{ first_name: {ri_first}, last_name: {ri_last} }}",
        f'address: "{i} High Street, {place}"',
        f'phone: "01000 {i:06d}"',
        f"email: office{i}@example.org",
        f'brand: {{ colour: "{BRANDS[i % len(BRANDS)]}" }}',
        f"review_cycle: {[6, 12, 24][i % 3]} months",
        "policies:",
        "  key-worker:",
        "    reviews:",
        f'      - {{ date: 2025-{month:02d}-{day:02d}, by: {first} {last}{approved}, version: "{1 + i % 4}", note: Annual review }}',
    ]
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n, dest = int(sys.argv[1]), sys.argv[2]
    os.makedirs(dest, exist_ok=True)
    for folder in ["jurisdictions", "policies", "assets"]:
        target = os.path.join(dest, folder)
        if os.path.exists(target):
            shutil.rmtree(target)
        shutil.copytree(os.path.join(ROOT, folder), target)
    orgs = os.path.join(dest, "organisations")
    if os.path.exists(orgs):
        shutil.rmtree(orgs)
    os.makedirs(orgs)
    for i in range(1, n + 1):
        with open(os.path.join(orgs, f"org-{i:05d}.yaml"), "w", encoding="utf-8") as f:
            f.write(profile(i))


if __name__ == "__main__":
    main()
