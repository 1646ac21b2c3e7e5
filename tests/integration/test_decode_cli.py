#!/usr/bin/env python3
"""envwatch decode / encode: the JSON Lines contract, byte-exact round trips of the standard's
packets (reference/hj212.md 2.5) and of 2005 packets, garbage, GBK logs, splitting.
Run by CTest with EW_BIN (the envwatch binary)."""
import json
import os
import subprocess
import sys

BIN = os.environ.get("EW_BIN", "build/envwatch")
KEYS = ["ok", "version", "flag_version", "st", "cn", "qn", "pw", "mn", "flag", "pnum", "pno",
        "length_ok", "crc_ok", "crc_variant", "cp", "warnings"]


def crc(data: bytes) -> int:
    """The standard's routine (2017 Appendix A), bit by bit."""
    reg = 0xFFFF
    for b in data:
        reg = (reg >> 8) ^ b
        for _ in range(8):
            reg = (reg >> 1) ^ 0xA001 if reg & 1 else reg >> 1
    return reg


def modbus(data: bytes) -> int:
    reg = 0xFFFF
    for b in data:
        reg ^= b
        for _ in range(8):
            reg = (reg >> 1) ^ 0xA001 if reg & 1 else reg >> 1
    return reg


def frame(seg: str, enc="utf-8", length=None, crc_text=None, tail=b"\r\n") -> bytes:
    s = seg.encode(enc)
    n = len(s) if length is None else length
    c = ("%04X" % crc(s)) if crc_text is None else crc_text
    return b"##%04d" % n + s + c.encode() + tail


H = "QN=20160801085857223;ST=32;CN=%s;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
STANDARD = [
    "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
    "CP=&&RtdInterval=30&&",
    H % "1000" + "CP=&&OverTime=5;ReCount=3&&",
    H.replace("ST=32", "ST=91").replace("Flag=5", "Flag=4") % "9011" + "CP=&&QnRtn=1&&",
    H.replace("ST=32", "ST=91").replace("Flag=5", "Flag=4") % "9012" + "CP=&&ExeRtn=1&&",
    H.replace("ST=32", "ST=91").replace("Flag=5", "Flag=4") % "9014" + "CP=&&&&",
    H % "1012" + "CP=&&PolId=w01018;SystemTime=20160801085857&&",
    H % "2061" + "CP=&&BeginTime=20160801080000;EndTime=20160801080000&&",
    H % "1072" + "CP=&&NewPW=654321&&",
    H % "2081" + "CP=&&DataTime=20160801085857;RestartTime=20160801085624&&",
    H % "3020" + "CP=&&DataTime=20160801085857;PolId=w01018;i11001-Info=//清洗管路//&&",
    "QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=7;PNUM=2;"
    "PNO=1;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,"
    "w00000-Max=20.1,w00000-Flag=N&&",
]
CRCS = ["1C80", "CAC1", "1B00", "6240", "3240", "0880", "7EC0", "3B80", "9AC1", "9481", "1980"]
V2005 = [
    "QN=20040516010101001;ST=32;CN=2061;PW=123456;MN=88888880000001;Flag=1;"
    "CP=&&BeginTime=20040516000000,EndTime=20040516010000&&",
    "ST=91;CN=9011;PW=123456;MN=88888880000001;Flag=0;CP=&&QN=20040516010101001;QnRtn=1&&",
    "ST=91;CN=9014;CP=&&QN=20040516010101001;CN=2051;PNO=1;PNUM=1&&",
    "QN=20040516010101001;ST=32;CN=2011;PW=123456;MN=88888880000001;"
    "CP=&&DataTime=20040516010101;011-Rtd=100.5,011-Flag=N;B01-Rtd=-0.5&&",
]


def run(args, data=b"", code=0):
    p = subprocess.run([BIN] + args, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != code:
        sys.exit("FAIL: envwatch %s exited %d, wanted %d: %s" % (
            " ".join(args), p.returncode, code, p.stderr.decode(errors="replace")))
    return p.stdout


def decode(data: bytes):
    out = run(["decode"], data)
    objs = [json.loads(line, object_pairs_hook=lambda kv: kv) for line in out.splitlines()]
    return out, objs


def check(cond, what):
    if not cond:
        sys.exit("FAIL: " + what)


def test_standard_vectors():
    data = b"".join(frame(s) for s in STANDARD)
    for s, c in zip(STANDARD, CRCS):
        check(frame(s).endswith(c.encode() + b"\r\n"), "python CRC of the vector is " + c)
    out, objs = decode(data)
    check(len(objs) == len(STANDARD), "one JSON object per packet")
    for o, seg in zip(objs, STANDARD):
        check([k for k, _ in o] == KEYS, "key order of the contract: %r" % [k for k, _ in o])
        d = dict(o)
        check(d["ok"] is True and d["version"] == "2017" and d["flag_version"] == 1,
              "version of " + seg)
        check(d["length_ok"] and d["crc_ok"] and d["crc_variant"] == "hj212", "checks")
        check(d["warnings"] == [], "no warnings for a standard packet: %r" % d["warnings"])
        check(d["mn"] == "010000A8900016F000169DC0", "mn")
    cp = dict(dict(objs[10])["cp"])
    check(list(cp) == ["DataTime", "w00000-Cou", "w00000-Min", "w00000-Avg", "w00000-Max",
                       "w00000-Flag"], "cp keys in packet order")
    check(cp["w00000-Cou"] == "63.0" and dict(objs[10])["pnum"] == 2 and
          dict(objs[10])["pno"] == 1, "values as strings, pnum/pno")
    check(dict(dict(objs[9])["cp"])["i11001-Info"] == "//清洗管路//", "info value kept whole")
    check(dict(objs[0])["pnum"] is None and dict(objs[0])["flag"] == 5, "nulls and numbers")
    # Round trip, also from bare-LF lines (the encoder always writes CR LF).
    check(run(["encode"], out) == data, "decode | encode reproduces the standard's packets")
    lf = b"".join(frame(s, tail=b"\n") for s in STANDARD)
    out_lf, objs_lf = decode(lf)
    check(all(dict(o)["warnings"] == ["tail-not-crlf"] for o in objs_lf), "bare LF warned")
    check(run(["encode"], out_lf) == data, "bare-LF lines re-encode to the standard frames")


def test_2005_round_trip():
    data = b"".join(frame(s) for s in V2005)
    out, objs = decode(data)
    check(run(["encode"], out) == data, "2005 packets round trip byte for byte")
    d = [dict(o) for o in objs]
    check(d[0]["version"] == "2005" and d[0]["flag_version"] == 0, "2005 by Flag")
    check(dict(d[0]["cp"]) == {"BeginTime": "20040516000000", "EndTime": "20040516010000"},
          "2005 history window")
    check(d[1]["qn"] is None and dict(d[1]["cp"])["QN"] == "20040516010101001",
          "2005 reply keeps QN in CP")
    check(d[3]["flag"] is None and d[3]["warnings"] == ["flag-missing"], "no Flag: 2005")
    check(dict(d[3]["cp"])["B01-Rtd"] == "-0.5", "negative value")


def test_deviations_and_garbage():
    seg = H % "2011" + "CP=&&DataTime=20160801085857;a21026-Rtd=12.3,a21026-Flag=N&&"
    m = modbus(seg.encode())
    garbage = b"hello\r\n"
    stream = (garbage + frame(seg) + b"##99xx" +
              frame(seg, crc_text="%04X" % ((m >> 8) | (m << 8 & 0xFF00))) +
              frame(seg, length=12) + frame(seg, crc_text="0000") +
              frame(seg, crc_text=("%04X" % crc(seg.encode())).lower()) + b"##0101QN=cut")
    out, objs = decode(stream)
    d = [dict(o) for o in objs]
    check(d[0] == {"ok": False, "error": "frame", "offset": 0}, "garbage first: %r" % d[0])
    check(d[1]["ok"] and "garbage-skipped" in d[1]["warnings"], "packet after garbage")
    off = len(garbage) + len(frame(seg))
    check(d[2] == {"ok": False, "error": "frame", "offset": off}, "##99xx: %r" % d[2])
    check(d[3]["crc_variant"] == "modbus-le" and d[3]["crc_ok"] is False and
          "crc-modbus-variant" in d[3]["warnings"], "Modbus variant reported, not an error")
    check(d[4]["length_ok"] is False and "length-mismatch" in d[4]["warnings"], "wrong length")
    check(d[5]["crc_ok"] is False and d[5]["crc_variant"] is None and
          "crc-mismatch" in d[5]["warnings"], "wrong CRC")
    check(d[6]["crc_ok"] and d[6]["warnings"] == ["crc-lowercase"], "lower-case CRC")
    check(d[7] == {"ok": False, "error": "truncated", "offset": len(stream) - 12}, "cut frame")
    check(len(d) == 8, "nothing else")


def test_gbk_log():
    seg = H % "3020" + "CP=&&DataTime=20160801085857;PolId=w01018;i11001-Info=//清洗管路//&&"
    gbk = frame(seg, enc="gbk", length=144)
    _, objs = decode(gbk)
    d = dict(objs[0])
    check(dict(d["cp"])["i11001-Info"] == "//清洗管路//", "GBK log shown as text")
    check(set(d["warnings"]) == {"length-counts-characters", "invalid-utf8"}, "GBK warnings")
    check(d["crc_ok"] and not d["length_ok"], "GBK CRC over the bytes sent")


def test_split_encode():
    cp = {"DataTime": "20160801080000"}
    for i in range(40):
        for s in ("Cou", "Min", "Avg", "Max", "Flag"):
            cp["w%05d-%s" % (i, s)] = "N" if s == "Flag" else "%d.5" % i
    obj = {"ok": True, "version": "2017", "flag_version": 1, "st": "32", "cn": "2061",
           "qn": "20160801085857534", "pw": "123456", "mn": "010000A8900016F000169DC0",
           "flag": 5, "pnum": None, "pno": None, "cp": cp}
    line = json.dumps(obj, ensure_ascii=False).encode() + b"\n"
    whole = run(["encode"], line)
    check(len(whole) > 2000, "unsplit packet over 1024")
    _, objs = decode(whole)
    check("segment-over-1024" in dict(objs[0])["warnings"], "oversize warned")
    pieces = run(["encode", "--split"], line)
    _, objs = decode(pieces)
    d = [dict(o) for o in objs]
    check(len(d) >= 3 and all(x["pnum"] == len(d) and x["flag"] == 7 for x in d), "pieces")
    check([x["pno"] for x in d] == list(range(1, len(d) + 1)), "PNO 1..PNUM")
    merged = {}
    for x in d:
        check(x["warnings"] == [] and dict(x["cp"])["DataTime"] == "20160801080000",
              "each piece standard, repeating DataTime")
        merged.update(dict(x["cp"]))
    check(merged == cp, "pieces carry every item")


def test_exit_codes():
    run(["decode", "--bogus"], code=2)
    run(["encode", "--bogus"], code=2)
    run(["decode", "/nonexistent/file"], code=1)
    err = subprocess.run([BIN, "encode"], input=b"not json\n", stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    check(err.returncode == 1 and b"stdin:1" in err.stderr, "bad JSON line reported")
    check(run(["encode"], b'{"ok":false,"error":"frame","offset":0}\n') == b"",
          "error objects are skipped")


if __name__ == "__main__":
    for name, fn in list(globals().items()):
        if name.startswith("test_"):
            fn()
    print("ok")
