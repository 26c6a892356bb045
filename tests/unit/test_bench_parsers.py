"""The bench parsers read what the real tools wrote on this machine (tests/fixtures/bench, made by
scripts/make-bench-fixtures.sh) and the fields those tools write on real laptops; bad input is refused
with a message naming what is wrong."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.bench import read_snapshot
from marketplace.bench.edid import diagonal_in
from marketplace.domain.errors import InvalidInput
from tests.fuzz import JSON, NASTY

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bench"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> Any:
    return json.loads(fixture(name))


def as_bytes(data: Any) -> bytes:
    return json.dumps(data).encode()


def _refused(raw: bytes) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        read_snapshot(raw)
    return caught.value


# --- what the real tools wrote here -------------------------------------------------------------------

def test_lshw_of_this_machine_gives_its_cpu_and_memory() -> None:
    lshw = fixture_json("lshw.json")
    reading = read_snapshot(fixture("lshw.json"))
    cpus = [n for n in _nodes(lshw) if n.get("class") == "processor"]
    assert reading.cpu == cpus[0]["product"]
    memory = next(n for n in _nodes(lshw) if n.get("id") == "memory")
    assert reading.ram_gb == round(memory["size"] / 2**30, 1)


def test_lsblk_of_this_machine_gives_its_disks_not_its_ram_disks_or_loop_files() -> None:
    reading = read_snapshot(fixture("lsblk.json"))
    disks = [d for d in fixture_json("lsblk.json")["blockdevices"]
             if d["type"] == "disk" and not d["name"].startswith(("zram", "loop")) and d["size"]]
    assert [m.device for m in reading.media] == [d["path"] for d in disks]
    assert [m.capacity_gb for m in reading.media] == [round(d["size"] / 1e9, 1) for d in disks]
    assert all(m.kind == ("hdd" if d["rota"] else "ssd") for m, d in zip(reading.media, disks, strict=True))


def test_the_workbench_snapshot_of_this_machine_reads_like_its_parts() -> None:
    reading = read_snapshot(fixture("workbench-snapshot.json"))
    assert reading.sources[0] == "workbench"
    assert reading.cpu == read_snapshot(fixture("lshw.json")).cpu
    assert [m.device for m in reading.media] == [m.device for m in read_snapshot(fixture("lsblk.json")).media]
    assert reading.specs()["ram_gb"] == read_snapshot(fixture("lshw.json")).ram_gb


def test_smartctl_that_cannot_read_a_disk_is_refused_with_what_smartctl_said() -> None:
    said = fixture_json("smartctl-loop.json")["smartctl"]["messages"][0]["string"]
    err = _refused(fixture("smartctl-loop.json"))
    assert err.message_key == "bench.nothing_read" and said in str(err)


def test_dmidecode_without_firmware_tables_is_refused_naming_the_tool() -> None:
    if b"Handle 0x" in fixture("dmidecode.txt"):
        pytest.skip("this machine has DMI tables")
    err = _refused(fixture("dmidecode.txt"))
    assert err.message_key == "bench.nothing_read" and "dmidecode" in str(err)


# --- the fields real laptops fill in (the same tools' formats, values of a Latitude 5480) ---------------

def _nodes(node: Any) -> list[dict[str, Any]]:
    node = node[0] if isinstance(node, list) else node
    return [node, *(n for c in node.get("children", []) for n in _nodes(c))]


def laptop_lshw() -> dict[str, Any]:
    lshw = copy.deepcopy(fixture_json("lshw.json"))
    lshw = dict(lshw[0] if isinstance(lshw, list) else lshw)
    lshw.update(vendor="Dell Inc.", product="Latitude 5480", serial="5CG7331XYZ")
    core = lshw["children"][0]
    core["children"].append({"id": "disk", "class": "disk", "product": "SAMSUNG MZ7LN256", "serial": "S3TANX0K",
                             "size": 256060514304, "logicalname": "/dev/sda", "capabilities": {}})
    core["children"].append({"id": "nvme", "class": "disk", "product": "PC401 NVMe", "serial": "NS81N",
                             "size": 512110190592, "logicalname": ["/dev/nvme0n1"], "businfo": "nvme@0:1"})
    return lshw


def test_lshw_gives_the_manufacturer_serial_model_and_each_disk() -> None:
    reading = read_snapshot(as_bytes(laptop_lshw()))
    assert (reading.manufacturer, reading.model, reading.serial) == ("Dell Inc.", "Latitude 5480", "5CG7331XYZ")
    assert [(m.serial, m.capacity_gb, m.kind) for m in reading.media] == [("S3TANX0K", 256.1, None),
                                                                          ("NS81N", 512.1, "nvme")]


def smartctl_of(**fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = copy.deepcopy(fixture_json("smartctl-loop.json"))
    out["smartctl"]["messages"] = []
    out.update(fields)
    return out


def test_smartctl_gives_model_serial_capacity_kind_health_and_hours() -> None:
    ssd = smartctl_of(device={"name": "/dev/sda", "type": "sat", "protocol": "ATA"}, model_name="SAMSUNG MZ7LN256",
                      serial_number="S3TANX0K", user_capacity={"bytes": 256060514304}, rotation_rate=0,
                      smart_status={"passed": True}, power_on_time={"hours": 10456})
    medium = read_snapshot(as_bytes(ssd)).media[0]
    assert (medium.model, medium.serial, medium.capacity_gb, medium.kind) == ("SAMSUNG MZ7LN256", "S3TANX0K", 256.1,
                                                                              "ssd")
    assert (medium.smart_passed, medium.power_on_hours) == (True, 10456)
    hdd = smartctl_of(model_name="ST500LM", serial_number="W1", user_capacity={"bytes": 5e11}, rotation_rate=5400,
                      smart_status={"passed": False})
    assert read_snapshot(as_bytes(hdd)).media[0].kind == "hdd"
    assert read_snapshot(as_bytes(hdd)).media[0].smart_passed is False
    nvme = smartctl_of(device={"name": "/dev/nvme0", "type": "nvme", "protocol": "NVMe"}, model_name="PC401",
                       serial_number="NS81N", nvme_total_capacity=512110190592)
    assert read_snapshot(as_bytes(nvme)).media[0].kind == "nvme"


DMIDECODE = """# dmidecode 3.4
Getting SMBIOS data from sysfs.
SMBIOS 3.0.0 present.

Handle 0x0001, DMI type 1, 27 bytes
System Information
\tManufacturer: Dell Inc.
\tProduct Name: Latitude 5480
\tSerial Number: 5CG7331XYZ

Handle 0x0040, DMI type 4, 48 bytes
Processor Information
\tStatus: Populated, Enabled
\tVersion: Intel(R) Core(TM) i5-7300U CPU @ 2.60GHz

Handle 0x1100, DMI type 17, 40 bytes
Memory Device
\tSize: 8 GB

Handle 0x1101, DMI type 17, 40 bytes
Memory Device
\tSize: No Module Installed

Handle 0x1102, DMI type 17, 40 bytes
Memory Device
\tSize: 4096 MB

Handle 0x2B00, DMI type 22, 26 bytes
Portable Battery
\tName: DELL 7V69Y
\tDesign Capacity: 68000 mWh
\tSBDS Serial Number: 0A3E
"""


def test_dmidecode_gives_identity_cpu_memory_and_battery_design() -> None:
    reading = read_snapshot(DMIDECODE.encode())
    assert (reading.manufacturer, reading.model, reading.serial) == ("Dell Inc.", "Latitude 5480", "5CG7331XYZ")
    assert reading.cpu == "Intel(R) Core(TM) i5-7300U CPU @ 2.60GHz"
    assert reading.ram_gb == 12.0
    assert reading.batteries[0].design_wh == 68.0


def test_firmware_placeholders_are_not_serials() -> None:
    reading = read_snapshot(DMIDECODE.replace("5CG7331XYZ", "To Be Filled By O.E.M.").encode())
    assert reading.serial is None


UPOWER = """Device: /org/freedesktop/UPower/devices/battery_BAT0
  native-path:          BAT0
  vendor:               SMP
  model:                DELL 7V69Y
  serial:               1234
  power supply:         yes
  battery
    energy-full:         51,3 Wh
    energy-full-design:  68 Wh
    capacity:            75.4412%

Device: /org/freedesktop/UPower/devices/mouse_hid
  power supply:         no
  battery
    energy-full:         1 Wh
    energy-full-design:  2 Wh

Daemon:
  daemon-version:  1.90.0
"""


def test_upower_gives_capacity_against_design() -> None:
    battery, = read_snapshot(UPOWER.encode()).batteries
    assert (battery.full_wh, battery.design_wh, battery.health_pct) == (51.3, 68.0, 75.4)


def test_power_supply_files_give_capacity_in_energy_or_charge() -> None:
    supply = {"BAT0": {"type": "Battery", "charge_full": "3000000", "charge_full_design": "4000000",
                       "voltage_min_design": "11400000", "model_name": "DELL"},
              "AC": {"type": "Mains"}}
    snapshot = fixture_json("workbench-snapshot.json")
    snapshot["data"]["power_supply"] = supply
    battery, = read_snapshot(as_bytes(snapshot)).batteries
    assert (battery.full_wh, battery.design_wh, battery.health_pct) == (34.2, 45.6, 75.0)


def edid(width_mm: int, height_mm: int) -> str:
    data = bytearray(128)
    data[:8] = bytes.fromhex("00ffffffffffff00")
    data[21], data[22] = width_mm // 10, height_mm // 10
    data[54], data[55] = 0x01, 0x1D
    data[66], data[67], data[68] = width_mm & 0xFF, height_mm & 0xFF, (width_mm >> 8) << 4 | height_mm >> 8
    return data.hex()


def test_the_built_in_panel_gives_the_screen_size() -> None:
    snapshot = fixture_json("workbench-snapshot.json")
    snapshot["data"]["edid"] = [{"connector": "card0-HDMI-A-1", "edid": edid(531, 299)},
                                {"connector": "card0-eDP-1", "edid": edid(309, 174)}]
    assert read_snapshot(as_bytes(snapshot)).screen_in == 14.0
    assert read_snapshot(as_bytes(snapshot)).specs()["screen_in"] == 14.0


def test_a_workbench_snapshot_merges_identity_disks_and_smart() -> None:
    snapshot = fixture_json("workbench-snapshot.json")
    snapshot["data"]["lshw"] = laptop_lshw()
    snapshot["data"]["smart"] = [smartctl_of(device={"name": "/dev/sda"}, model_name="SAMSUNG MZ7LN256",
                                             serial_number="S3TANX0K", user_capacity={"bytes": 256060514304},
                                             rotation_rate=0, smart_status={"passed": True},
                                             power_on_time={"hours": 42})]
    reading = read_snapshot(as_bytes(snapshot))
    sda = next(m for m in reading.media if m.serial == "S3TANX0K")
    assert (sda.kind, sda.smart_passed, sda.power_on_hours) == ("ssd", True, 42)
    assert reading.serial == "5CG7331XYZ"


def test_an_older_workbench_snapshot_is_read_too() -> None:
    legacy = {"@type": "Snapshot", "device": {"manufacturer": "HP", "model": "EliteBook 840", "serialNumber": "CZC1"},
              "components": [{"@type": "Processor", "model": "Intel Core i5"}, {"@type": "RamModule", "size": 8192},
                             {"@type": "SolidStateDrive", "model": "X", "serialNumber": "D1", "size": 256000},
                             {"@type": "Display", "size": 14}]}
    reading = read_snapshot(as_bytes(legacy))
    assert (reading.serial, reading.ram_gb, reading.screen_in, reading.media[0].kind) == ("CZC1", 8.0, 14.0, "ssd")


# --- bad input ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "key", "named"), [
    (b"", "bench.empty", ""),
    (b"\xff\xfe\x00", "bench.not_text", "0"),
    (b"{not json", "bench.bad_json", ""),
    (b"hello world", "bench.unknown_format", "hello world"),
    (b'{"a": 1}', "bench.unknown_format", "a"),
    (b'{"blockdevices": [{"name": "sda", "type": "disk", "size": "256G"}]}', "bench.bad_value", "256G"),
    (b'{"blockdevices": {"name": "sda"}}', "bench.bad_list", "blockdevices"),
    (b'{"type": "Snapshot", "data": 3}', "bench.bad_object", "data"),
])
def test_bad_input_is_refused_naming_what_is_wrong(raw: bytes, key: str, named: str) -> None:
    err = _refused(raw)
    assert err.message_key == key
    assert named in str(err)


def test_a_bad_edid_names_its_field() -> None:
    with pytest.raises(InvalidInput, match="edid"):
        diagonal_in("zz", "[0].edid")


@settings(max_examples=200)
@given(st.one_of(JSON, st.dictionaries(st.sampled_from(["type", "data", "smartctl", "blockdevices", "class",
                                                         "children", "id", "size", "product"]), JSON)))
def test_any_json_is_read_or_refused_never_crashes(data: Any) -> None:
    try:
        read_snapshot(json.dumps(data).encode())
    except InvalidInput:
        pass


@given(st.one_of(NASTY, st.text(max_size=200)))
def test_any_text_is_read_or_refused_never_crashes(text: str) -> None:
    try:
        read_snapshot(text.encode("utf-8", "surrogatepass"))
    except InvalidInput:
        pass


TOOLS = st.fixed_dictionaries({}, optional={k: JSON for k in ("lshw", "dmidecode", "smart", "lsblk", "upower",
                                                              "power_supply", "edid")})


@settings(max_examples=300)
@given(TOOLS, st.sampled_from(["data", "hwmd"]))
def test_any_workbench_snapshot_is_read_or_refused_never_crashes(tools: dict[str, Any], body: str) -> None:
    try:
        read_snapshot(json.dumps({"type": "Snapshot", body: tools}).encode())
    except InvalidInput:
        pass
