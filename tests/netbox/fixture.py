#!/usr/bin/env python3
"""Write the NetBox and Nautobot test fixtures: API pages of a small
operator, in the shapes the servers' serializers give (NetBox 4.x with
nested briefs; Nautobot 2.x with UUIDs, locations and depth=1).

Usage: tests/netbox/fixture.py OUTDIR   (writes OUTDIR/netbox, OUTDIR/nautobot)
The pages are committed under tests/data/netbox; run this to regenerate.
"""
import json
import os
import sys

NB = "https://netbox.nordwind.example/api/"


def url(ep, i):
    return f"{NB}{ep}/{i}/"


def brief(ep, i, **kw):
    d = {"id": i, "url": url(ep, i), "display": kw.get("name", str(i))}
    d.update(kw)
    return d


def choice(v):
    return {"value": v, "label": v.capitalize()}


REGIONS = [(1, "Europe", "europe", None), (2, "Germany", "de", 1),
           (3, "Hesse", "de-he", 2), (4, "Bavaria", "de-by", 2)]
SITES = [(1, "Frankfurt DC1", "fra1", 3, 50.1109, 8.6821),
         (2, "Munich DC1", "muc1", 4, 48.1351, 11.582)]
MAKERS = [(1, "Cisco Systems", "cisco"), (2, "Juniper Networks", "juniper"),
          (3, "Huawei Technologies Co., Ltd.", "huawei"),
          (4, "Nokia", "nokia"), (5, "Generic", "generic"),
          (6, "Delta Electronics", "delta")]
TYPES = [(1, 1, "ASR-9906"), (2, 2, "MX960"), (3, 3, "NE40E-X8A"),
         (4, 4, "AirScale BBU"), (5, 5, "24-port LC panel")]
ROLES = [(1, "Core Router", "core-router"), (2, "Aggregation", "aggregation"),
         (3, "RAN Baseband", "ran-baseband"), (4, "Patch Panel", "patch-panel")]
PLATFORMS = [(1, "Cisco IOS XR", "iosxr", 1), (2, "Huawei VRP", "vrp", 3)]
# id, name, type, role, site, platform, status, serial, tags
DEVICES = [
    (1, "fra1-core-1", 1, 1, 1, 1, "active", "FOC2101X0AB", ["critical"]),
    (2, "muc1-core-1", 2, 1, 2, None, "active", "JN11F0A2BAFA", []),
    (3, "fra1-agg-1", 3, 2, 1, 2, "active", "2102351931P0K8000123", []),
    (4, "muc1-bbu-1", 4, 3, 2, None, "active", "K9160123456", []),
    (5, "fra1-pp-1", 5, 4, 1, None, "active", None, []),
    (6, "fra1-pp-2", 5, 4, 1, None, "active", None, []),
    (7, "fra1-agg-2", 3, 2, 1, 2, "planned", None, []),
]


def region(i):
    r = next(x for x in REGIONS if x[0] == i)
    return brief("dcim/regions", i, name=r[1], slug=r[2], _depth=0)


def site_brief(i):
    s = next(x for x in SITES if x[0] == i)
    return brief("dcim/sites", i, name=s[1], slug=s[2])


def maker(i):
    m = next(x for x in MAKERS if x[0] == i)
    return brief("dcim/manufacturers", i, name=m[1], slug=m[2])


def dtype(i):
    t = next(x for x in TYPES if x[0] == i)
    return brief("dcim/device-types", i, manufacturer=maker(t[1]), model=t[2],
                 slug=t[2].lower())


def role(i):
    r = next(x for x in ROLES if x[0] == i)
    return brief("dcim/device-roles", i, name=r[1], slug=r[2])


def dev_brief(i):
    d = next(x for x in DEVICES if x[0] == i)
    return brief("dcim/devices", i, name=d[1])


def tag(slug):
    return {"id": 1, "url": f"{NB}extras/tags/1/", "display": slug,
            "name": slug, "slug": slug, "color": "f44336"}


def regions():
    return [dict(brief("dcim/regions", i, name=n, slug=s),
                 parent=region(p) if p else None, _depth=0)
            for i, n, s, p in REGIONS]


def sites():
    return [dict(brief("dcim/sites", i, name=n, slug=s),
                 status=choice("active"), region=region(r), latitude=lat,
                 longitude=lon, tags=[tag("datacentre")])
            for i, n, s, r, lat, lon in SITES]


def platforms():
    return [dict(brief("dcim/platforms", i, name=n, slug=s),
                 manufacturer=maker(m)) for i, n, s, m in PLATFORMS]


def devices():
    out = []
    for i, n, t, r, s, p, st, serial, tags in DEVICES:
        pf = None
        if p:
            pl = next(x for x in PLATFORMS if x[0] == p)
            pf = brief("dcim/platforms", p, name=pl[1], slug=pl[2])
        out.append(dict(brief("dcim/devices", i, name=n), device_type=dtype(t),
                        role=role(r), platform=pf, serial=serial or "",
                        site=site_brief(s), status=choice(st),
                        tags=[tag(x) for x in tags]))
    return out


IFACES = {11: (1, "Hu0/0/0/0"), 12: (1, "Hu0/0/0/1"), 21: (2, "xe-0/0/0"),
          22: (2, "xe-0/0/1"), 31: (3, "GE0/0/1"), 32: (3, "GE0/0/2"),
          41: (4, "eth0"), 71: (7, "GE0/0/1")}
# front port id: (panel device, name, rear id, position)
FRONTS = {501: (5, "F1", 601, 1), 502: (6, "F1", 602, 1)}
REARS = {601: (5, "R1"), 602: (6, "R1")}


def term(kind, i):
    if kind == "dcim.interface":
        d, n = IFACES[i]
        obj = brief("dcim/interfaces", i, name=n, device=dev_brief(d),
                    cable=None, _occupied=True)
    elif kind == "dcim.frontport":
        d, n, _, _ = FRONTS[i]
        obj = brief("dcim/front-ports", i, name=n, device=dev_brief(d))
    elif kind == "dcim.rearport":
        d, n = REARS[i]
        obj = brief("dcim/rear-ports", i, name=n, device=dev_brief(d))
    else:
        obj = brief("circuits/circuit-terminations", i, term_side="A")
    return {"object_type": kind, "object_id": i, "object": obj}


def cable(i, a, b, status="connected"):
    return dict(brief("dcim/cables", i, label=f"C{i}"), type="smf",
                a_terminations=[term(*a)], b_terminations=[term(*b)],
                status=choice(status), length=None, tags=[])


def cables():
    return [
        # fra1-core-1 -> panel 1 front, trunk rear to rear, panel 2 front ->
        # fra1-agg-1: one link through two patch panels
        cable(1, ("dcim.interface", 11), ("dcim.frontport", 501)),
        cable(2, ("dcim.rearport", 601), ("dcim.rearport", 602)),
        cable(3, ("dcim.frontport", 502), ("dcim.interface", 31)),
        # direct
        cable(4, ("dcim.interface", 21), ("dcim.interface", 41)),
        # the circuit between the sites
        cable(5, ("dcim.interface", 12), ("circuits.circuittermination", 801)),
        cable(6, ("circuits.circuittermination", 802), ("dcim.interface", 22)),
        # planned: no link
        cable(7, ("dcim.interface", 32), ("dcim.interface", 71), "planned"),
    ]


def front_ports():
    # NetBox up to 4.4: rear_port and rear_port_position
    return [dict(brief("dcim/front-ports", i, name=n), device=dev_brief(d),
                 type=choice("lc"), rear_port=brief("dcim/rear-ports", r,
                                                    name=REARS[r][1]),
                 rear_port_position=pos)
            for i, (d, n, r, pos) in FRONTS.items()]


def circuits():
    def ct(i, side, s):
        return {"id": i, "url": url("circuits/circuit-terminations", i),
                "display": f"COLT-4711: Termination {side}",
                "termination_type": "dcim.site", "termination_id": s,
                "termination": site_brief(s), "port_speed": 10000000}
    return [dict(brief("circuits/circuits", 1, cid="COLT-4711"),
                 provider=brief("circuits/providers", 1, name="Colt",
                                slug="colt"),
                 type=brief("circuits/circuit-types", 1, name="Wavelength",
                            slug="wavelength"),
                 status=choice("active"), termination_a=ct(801, "A", 1),
                 termination_z=ct(802, "Z", 2), tags=[])]


def modules():
    return [dict(brief("dcim/modules", 1), device=dev_brief(1),
                 module_bay=brief("dcim/module-bays", 1, name="0/0/1"),
                 module_type=brief("dcim/module-types", 1,
                                   manufacturer=maker(3),
                                   model="QSFP-100G-LR4"),
                 status=choice("active"), serial="HW100G0001", tags=[])]


def items():
    return [dict(brief("dcim/inventory-items", 1, name="PSU0"),
                 device=dev_brief(2), manufacturer=maker(6),
                 part_id="DPS-2000AB", serial="DLT0001", tags=[]),
            dict(brief("dcim/inventory-items", 2, name="fan-tray"),
                 device=dev_brief(2), manufacturer=None, part_id="",
                 serial="", tags=[])]


def page(results, ep, offset=0, total=None, nxt=None):
    total = len(results) if total is None else total
    return {"count": total, "next": nxt, "previous": None, "results": results}


def write(d, name, obj):
    with open(os.path.join(d, name), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def netbox(out):
    d = os.path.join(out, "netbox")
    os.makedirs(d, exist_ok=True)
    devs = devices()
    write(d, "regions.json", page(regions(), "dcim/regions"))
    write(d, "sites.json", page(sites(), "dcim/sites"))
    write(d, "platforms.json", page(platforms(), "dcim/platforms"))
    # two pages of devices, named as a shell loop would name them
    write(d, "page-0001.json", page(devs[:4], "dcim/devices", total=7,
          nxt=NB + "dcim/devices/?limit=4&offset=4"))
    write(d, "page-0002.json", page(devs[4:], "dcim/devices", total=7))
    write(d, "front-ports.json", page(front_ports(), "dcim/front-ports"))
    write(d, "cables.json", page(cables(), "dcim/cables"))
    write(d, "circuits.json", page(circuits(), "circuits/circuits"))
    write(d, "modules.json", page(modules(), "dcim/modules"))
    write(d, "inventory-items.json", page(items(), "dcim/inventory-items"))


NA = "https://nautobot.nordwind.example/api/"
U = {n: f"{i:08x}-0000-4000-8000-{i:012x}" for i, n in enumerate(
    ["europe", "de", "fra1", "muc1", "r-core", "active", "planned", "cisco",
     "nokia", "asr", "bbu", "core-1", "bbu-1", "if-a", "if-b", "cab",
     "region", "site", "r-ran"], start=1)}


def stub(ep, key):
    return {"id": U[key], "object_type": ep.replace("/", ".").rstrip("s"),
            "url": f"{NA}{ep}/{U[key]}/"}


def nautobot(out):
    d = os.path.join(out, "nautobot")
    os.makedirs(d, exist_ok=True)
    loc = lambda k, name, typ, parent, **kw: dict(
        id=U[k], url=f"{NA}dcim/locations/{U[k]}/", name=name,
        location_type={"id": U[typ], "name": typ.capitalize(),
                       "url": f"{NA}dcim/location-types/{U[typ]}/"},
        parent=stub("dcim/locations", parent) if parent else None, **kw)
    locations = [loc("europe", "Europe", "region", None),
                 loc("de", "Germany", "region", "europe"),
                 loc("fra1", "fra1", "site", "de", latitude=50.11,
                     longitude=8.68),
                 loc("muc1", "muc1", "site", "de", latitude=48.14,
                     longitude=11.58)]
    status = lambda k: {"id": U[k], "name": k.capitalize(),
                        "url": f"{NA}extras/statuses/{U[k]}/"}

    def dev(k, name, typ, mk, model, role, site):
        return {"id": U[k], "url": f"{NA}dcim/devices/{U[k]}/", "name": name,
                "device_type": {"id": U[typ], "model": model,
                                "url": f"{NA}dcim/device-types/{U[typ]}/",
                                "manufacturer": stub("dcim/manufacturers", mk)},
                "role": {"id": U[role], "name": role,
                         "url": f"{NA}extras/roles/{U[role]}/"},
                "location": {"id": U[site], "name": site,
                             "url": f"{NA}dcim/locations/{U[site]}/"},
                "status": status("active"), "serial": "", "tags": [],
                "platform": None}
    makers = [{"id": U["cisco"], "name": "Cisco", "url":
               f"{NA}dcim/manufacturers/{U['cisco']}/"},
              {"id": U["nokia"], "name": "Nokia", "url":
               f"{NA}dcim/manufacturers/{U['nokia']}/"}]
    devs = [dev("core-1", "core-1", "asr", "cisco", "ASR-9906", "r-core",
                "fra1"),
            dev("bbu-1", "bbu-1", "bbu", "nokia", "AirScale", "r-ran", "muc1")]
    ifs = [{"id": U["if-a"], "url": f"{NA}dcim/interfaces/{U['if-a']}/",
            "name": "Hu0/0/0/0", "device": stub("dcim/devices", "core-1")},
           {"id": U["if-b"], "url": f"{NA}dcim/interfaces/{U['if-b']}/",
            "name": "eth0", "device": stub("dcim/devices", "bbu-1")}]
    cab = [{"id": U["cab"], "url": f"{NA}dcim/cables/{U['cab']}/",
            "termination_a_type": "dcim.interface",
            "termination_a_id": U["if-a"],
            "termination_a": stub("dcim/interfaces", "if-a"),
            "termination_b_type": "dcim.interface",
            "termination_b_id": U["if-b"],
            "termination_b": stub("dcim/interfaces", "if-b"),
            "status": status("active") | {"name": "Connected"}}]
    write(d, "locations.json", page(locations, ""))
    write(d, "manufacturers.json", page(makers, ""))
    write(d, "devices.json", page(devs, ""))
    write(d, "interfaces.json", page(ifs, ""))
    write(d, "cables.json", page(cab, ""))


if __name__ == "__main__":
    netbox(sys.argv[1])
    nautobot(sys.argv[1])
