#!/usr/bin/env python3
"""Generates the binary and byte-exact sample reports of sample-reports/aggregate/.

Run once from anywhere: python3 sample-reports/make-binaries.py
The output is deterministic (fixed gzip/zip timestamps, fixed MIME boundaries), so re-running it
produces identical files; the generated files are committed because the tests and the demo read them.
Every report here is written by us, in the shapes real providers send (see README.md); addresses are
documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32).
"""
import base64
import gzip
import io
import os
import zipfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "aggregate")
DAY = 86400
NOV = {d: 1793491200 + (d - 1) * DAY for d in range(1, 31)}  # 2026-11-DD 00:00:00 UTC


def rec(ip, count, disp, dkim, spf, hf, dk=(), sp=(), ef=None, et=None, reasons=()):
    return dict(ip=ip, count=count, disp=disp, dkim=dkim, spf=spf, hf=hf, dk=list(dk), sp=list(sp),
                ef=ef, et=et, reasons=list(reasons))


def feedback(meta, policy, records, indent="  ", nl="\n", decl='<?xml version="1.0" encoding="UTF-8"?>',
             root="<feedback>", version=None, eol=""):
    """Renders an aggregate report. policy is a list of (name, value) in the order to write."""
    out = []

    def line(depth, text):
        out.append(indent * depth + text + eol)

    out.append(decl + eol)
    line(0, root)
    if version is not None:
        line(1, "<version>%s</version>" % version)
    line(1, "<report_metadata>")
    for k in ("org_name", "email", "extra_contact_info", "report_id"):
        if meta.get(k) is not None:
            line(2, "<%s>%s</%s>" % (k, meta[k], k))
    line(2, "<date_range>")
    line(3, "<begin>%s</begin>" % meta["begin"])
    line(3, "<end>%s</end>" % meta["end"])
    line(2, "</date_range>")
    line(1, "</report_metadata>")
    line(1, "<policy_published>")
    for k, v in policy:
        line(2, "<%s>%s</%s>" % (k, v, k))
    line(1, "</policy_published>")
    for r in records:
        line(1, "<record>")
        line(2, "<row>")
        line(3, "<source_ip>%s</source_ip>" % r["ip"])
        line(3, "<count>%d</count>" % r["count"])
        line(3, "<policy_evaluated>")
        line(4, "<disposition>%s</disposition>" % r["disp"])
        line(4, "<dkim>%s</dkim>" % r["dkim"])
        line(4, "<spf>%s</spf>" % r["spf"])
        for t, c in r["reasons"]:
            line(4, "<reason>")
            line(5, "<type>%s</type>" % t)
            if c is not None:
                line(5, "<comment>%s</comment>" % c)
            line(4, "</reason>")
        line(3, "</policy_evaluated>")
        line(2, "</row>")
        line(2, "<identifiers>")
        if r["et"] is not None:
            line(3, "<envelope_to>%s</envelope_to>" % r["et"])
        if r["ef"] is not None:
            line(3, "<envelope_from>%s</envelope_from>" % r["ef"])
        line(3, "<header_from>%s</header_from>" % r["hf"])
        line(2, "</identifiers>")
        line(2, "<auth_results>")
        for d, s, res in r["dk"]:
            line(3, "<dkim>")
            line(4, "<domain>%s</domain>" % d)
            if s is not None:
                line(4, "<selector>%s</selector>" % s)
            line(4, "<result>%s</result>" % res)
            line(3, "</dkim>")
        for d, scope, res in r["sp"]:
            line(3, "<spf>")
            line(4, "<domain>%s</domain>" % d)
            if scope is not None:
                line(4, "<scope>%s</scope>" % scope)
            line(4, "<result>%s</result>" % res)
            line(3, "</spf>")
        line(2, "</auth_results>")
        line(1, "</record>")
    line(0, "</feedback>")
    return nl.join(out) + nl


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as f:
        f.write(data)
    return buf.getvalue()


def zipped(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 2, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


def b64lines(data, width=76):
    s = base64.b64encode(data).decode("ascii")
    return "\r\n".join(s[i:i + width] for i in range(0, len(s), width))


def crlf(text):
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("ascii")


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


# ---------------------------------------------------------------------------------------------------
# Google: mail with one application/zip attachment; <np> after <pct>; no version, envelope_from, scope.
google_b, google_e = NOV[1], NOV[1] + DAY - 1
google_xml = feedback(
    dict(org_name="google.com", email="noreply-dmarc-support@google.com",
         extra_contact_info="https://support.google.com/a/answer/2466580",
         report_id="10749268118374625601", begin=google_b, end=google_e),
    [("domain", "example.com"), ("adkim", "r"), ("aspf", "r"), ("p", "reject"), ("sp", "reject"),
     ("pct", "100"), ("np", "reject")],
    [
        rec("192.0.2.41", 1843, "none", "pass", "pass", "example.com",
            dk=[("example.com", "google", "pass")], sp=[("example.com", None, "pass")]),
        rec("198.51.100.14", 512, "none", "pass", "pass", "example.com",
            dk=[("example.com", "selector1", "pass"), ("example.onmicrosoft.com", "selector1", "pass")],
            sp=[("example.com", None, "pass")]),
        rec("198.51.100.63", 230, "none", "pass", "fail", "example.com",
            dk=[("example.com", "s1", "pass"), ("sendgrid.net", "smtpapi", "pass")],
            sp=[("u1234567.wl068.sendgrid.net", None, "pass")]),
        rec("198.51.100.134", 96, "none", "pass", "fail", "example.com",
            dk=[("example.com", "k1", "pass"), ("mcsv.net", "k2", "pass")],
            sp=[("mail134.atl121.mcsv.net", None, "pass")]),
        rec("203.0.113.23", 37, "none", "pass", "fail", "example.com",
            dk=[("example.com", "google", "pass")], sp=[("example.com", None, "fail")]),
        rec("203.0.113.23", 12, "quarantine", "fail", "fail", "example.com",
            dk=[("example.com", "google", "fail")], sp=[("example.com", None, "fail")],
            reasons=[("forwarded", "looks forwarded, downgrade to quarantine with phishing warning")]),
        rec("203.0.113.177", 64, "reject", "fail", "fail", "example.com",
            sp=[("example.com", None, "fail")]),
    ],
    decl='<?xml version="1.0" encoding="UTF-8" ?>')
google_name = "google.com!example.com!%d!%d" % (google_b, google_e)
google_zip = zipped([(google_name + ".xml", google_xml.encode())])
write("google-zip-attachment.eml", crlf("""Delivered-To: dmarc-rua@example.com
Return-Path: <3kYxZaQMKB4cWXbLhMfhzRZXSUHY.LXVMSRXSNfVV-5JgPR.JVXLMdVbHVRSLbQPU@scoutcamp.bounces.google.com>
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=google.com; s=20230601; t=1793577599;
 h=to:from:subject:message-id:date:mime-version:from:to:cc:subject:date:message-id:reply-to;
 bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=c2FtcGxlIHNpZ25hdHVyZSwgbm90IHZlcmlmaWFibGU=
MIME-Version: 1.0
Date: Mon, 02 Nov 2026 15:59:59 -0800
Message-ID: <10749268118374625601@google.com>
Subject: Report domain: example.com Submitter: google.com Report-ID: 10749268118374625601
From: noreply-dmarc-support@google.com
To: dmarc-rua@example.com
Content-Type: application/zip; 
\tname="%(n)s.zip"
Content-Disposition: attachment; 
\tfilename="%(n)s.zip"
Content-Transfer-Encoding: base64

%(b)s
""" % dict(n=google_name, b=b64lines(google_zip))))

# ---------------------------------------------------------------------------------------------------
# Microsoft: multipart/mixed > multipart/related > multipart/alternative (text/html) + gzip part with
# Content-ID; RFC 2047 base64 subject; xmlns:xsd/xmlns:xsi; version 1.0; envelope_to; DKIM duplicated.
ms_b, ms_e = NOV[2], NOV[3]
ms_xml = feedback(
    dict(org_name="Enterprise Outlook", email="dmarcreport@microsoft.com",
         report_id="4c2b6a0e9f1d4b7fa3c1d2e5f6a7b8c9", begin=ms_b, end=ms_e),
    [("domain", "example.com"), ("adkim", "r"), ("aspf", "r"), ("p", "reject"), ("sp", "reject"),
     ("pct", "100"), ("fo", "0")],
    [
        rec("192.0.2.42", 211, "none", "pass", "pass", "example.com", ef="example.com", et="outlook.com",
            dk=[("example.com", "google", "pass"), ("example.com", "google", "pass")],
            sp=[("example.com", "mfrom", "pass")]),
        rec("198.51.100.14", 1045, "none", "pass", "pass", "example.com", ef="example.com", et="hotmail.com",
            dk=[("example.com", "selector1", "pass"), ("example.com", "selector1", "pass")],
            sp=[("example.com", "mfrom", "pass")]),
        rec("203.0.113.177", 9, "reject", "fail", "fail", "example.com", ef="example.com", et="hotmail.com",
            sp=[("example.com", "mfrom", "fail")]),
    ],
    decl='<?xml version="1.0"?>',
    root='<feedback xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    version="1.0", nl="\r\n")
ms_name = "protection.outlook.com!example.com!%d!%d.xml.gz" % (ms_b, ms_e)
ms_subject = base64.b64encode(
    b"Report Domain: example.com Submitter: protection.outlook.com Report-ID: 4c2b6a0e9f1d4b7fa3c1d2e5f6a7b8c9"
).decode()
ms_html = base64.b64encode(
    b'<div style ="font-family:Segoe UI; font-size:14px;">This is a DMARC aggregate report from Microsoft '
    b'Corporation. For Emails received between 2026-11-02 00:00:00 UTC to 2026-11-03 00:00:00 UTC.</ div>')
write("microsoft-nested-multipart.eml", crlf("""Received: from mail-example.outbound.protection.outlook.com (198.51.100.250)
 by mx.example.com with ESMTPS; Tue, 03 Nov 2026 04:08:22 +0000
Message-ID: <4c2b6a0e9f1d4b7fa3c1d2e5f6a7b8c9@microsoft.com>
MIME-Version: 1.0
From: "DMARC Aggregate Report" <dmarcreport@microsoft.com>
To: <dmarc-rua@example.com>
Subject: =?utf-8?B?%(subj)s?=
Content-Type: multipart/mixed;
\tboundary="_mpm_5f1e9d2c_exchangecorpm_"
Date: Tue, 03 Nov 2026 04:08:19 +0000
X-MS-PublicTrafficType: Email

This is a multi-part message in MIME format.

--_mpm_5f1e9d2c_exchangecorpm_
Content-Type: multipart/related;
\tboundary="_rv_5f1e9d2c_exchangecorpm_"

--_rv_5f1e9d2c_exchangecorpm_
Content-Type: multipart/alternative;
\tboundary="_av_5f1e9d2c_exchangecorpm_"

--_av_5f1e9d2c_exchangecorpm_


--_av_5f1e9d2c_exchangecorpm_
Content-Type: text/html; charset=us-ascii
Content-Transfer-Encoding: base64

%(html)s

--_av_5f1e9d2c_exchangecorpm_--

--_rv_5f1e9d2c_exchangecorpm_--

--_mpm_5f1e9d2c_exchangecorpm_
Content-Type: application/gzip
Content-Transfer-Encoding: base64
Content-ID: <8a1f0c33-2b7e-4d59-9e61-0c5b7d2a4f18>
Content-Description: %(name)s
Content-Disposition: attachment; filename="%(name)s";

%(b)s

--_mpm_5f1e9d2c_exchangecorpm_--
""" % dict(subj=ms_subject, html=b64lines(ms_html), name=ms_name, b=b64lines(gz(ms_xml.encode())))))

# ---------------------------------------------------------------------------------------------------
# Amazon SES: application/octet-stream with an unquoted name; subject with braces; version 0.1; no
# DKIM selector; tab indentation; exclusive end.
ses_b, ses_e = NOV[3], NOV[4]
ses_xml = feedback(
    dict(org_name="AMAZON-SES", email="postmaster@amazonses.com",
         report_id="3f6c2b1e-8d4a-4e7b-9c0f-5a2d1e6b7c84", begin=ses_b, end=ses_e),
    [("domain", "example.org"), ("adkim", "r"), ("aspf", "r"), ("p", "reject"), ("sp", "reject"),
     ("pct", "100"), ("fo", "0")],
    [
        rec("198.51.100.201", 58, "none", "pass", "pass", "example.org", ef="mail.example.org",
            dk=[("example.org", None, "pass")], sp=[("mail.example.org", None, "pass")]),
        rec("203.0.113.180", 3, "reject", "fail", "fail", "example.org", ef="example.org",
            sp=[("example.org", None, "fail")]),
    ],
    decl='<?xml version="1.0"?>', indent="\t", version="0.1")
ses_name = "amazonses.com!example.org!%d!%d.xml.gz" % (ses_b, ses_e)
write("amazonses-octet-stream.eml", crlf("""From: postmaster@amazonses.com
To: dmarc-rua@example.org
Message-ID: <0100019f3a70fc8d-3f6c2b1e-8d4a-4e7b-9c0f-5a2d1e6b7c84-000000@email.amazonses.com>
Subject: Dmarc Aggregate Report Domain: {example.org}  Submitter: {Amazon SES}
  Date: {2026-11-03}  Report-ID: {3f6c2b1e-8d4a-4e7b-9c0f-5a2d1e6b7c84}
MIME-Version: 1.0
Content-Type: multipart/mixed; 
\tboundary="----=_Part_42492_694130218.1794220097673"
Date: Wed, 04 Nov 2026 10:28:17 +0000
Feedback-ID: 1.us-east-1.c2FtcGxl:AmazonSES

------=_Part_42492_694130218.1794220097673
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

This MIME email was sent through Amazon SES.
------=_Part_42492_694130218.1794220097673
Content-Type: application/octet-stream; 
\tname=%(name)s
Content-Transfer-Encoding: base64
Content-Disposition: attachment; 
\tfilename=%(name)s

%(b)s
------=_Part_42492_694130218.1794220097673--
""" % dict(name=ses_name, b=b64lines(gz(ses_xml.encode())))))

# ---------------------------------------------------------------------------------------------------
# Mail.ru: single-line XML with single-quoted declaration, in a gzip attachment; semicolon subject.
mailru_b, mailru_e = NOV[4], NOV[5]
mailru_xml = feedback(
    dict(org_name="Mail.Ru", email="dmarc_support@corp.mail.ru", extra_contact_info="http://help.mail.ru/mail-help",
         report_id="28551467700969547611793750400", begin=mailru_b, end=mailru_e),
    [("domain", "example.org"), ("adkim", "r"), ("aspf", "r"), ("p", "reject"), ("sp", "reject"), ("pct", "100")],
    [
        rec("192.0.2.25", 14, "none", "pass", "pass", "example.org",
            dk=[("example.org", "mail", "pass")], sp=[("example.org", "mfrom", "pass")]),
        rec("203.0.113.201", 2, "reject", "fail", "fail", "example.org",
            sp=[("example.org", "mfrom", "softfail")]),
    ],
    decl="<?xml version='1.0' encoding='utf-8'?>", indent="", nl="")
mailru_name = "mail.ru!example.org!%d!%d.xml.gz" % (mailru_b, mailru_e)
write("mailru-single-line.eml", crlf("""Content-Type: multipart/mixed; boundary="===============5640625649776607409=="
MIME-Version: 1.0
Subject: Report Domain: example.org; Submitter: Mail.Ru;
 Report-ID: 28551467700969547611793750400
From: dmarc_support@corp.mail.ru
To: dmarc-rua@example.org
Message-ID: <dmarc-1793853998@corp.mail.ru>
Date: Fri, 06 Nov 2026 02:26:38 +0300
Auto-Submitted: auto-generated

--===============5640625649776607409==
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

VGhpcyBpcyBhbiBhZ2dyZWdhdGUgcmVwb3J0IGZyb20gTWFpbC5SdS4=

--===============5640625649776607409==
Content-Type: application/gzip
MIME-Version: 1.0
Content-Transfer-Encoding: base64
Content-Disposition: attachment;
 filename="%(name)s"

%(b)s
--===============5640625649776607409==--
""" % dict(name=mailru_name, b=b64lines(gz(mailru_xml.encode())))))

# ---------------------------------------------------------------------------------------------------
# Mimecast: the whole message body is the gzip (no multipart); empty Report-ID in the subject.
mc_b, mc_e = NOV[5], NOV[5] + DAY - 1
mc_id = "9d4e1f0a7b3c25e8f6a1d0c9b8e7f6a5d4c3b2a1908f7e6d5c4b3a29180f7e6d"
mc_xml = feedback(
    dict(org_name="Mimecast", email="no-reply@eu-1.mimecastreport.com", report_id=mc_id, begin=mc_b, end=mc_e),
    [("domain", "example.net"), ("adkim", "r"), ("aspf", "r"), ("p", "none"), ("sp", "none"), ("pct", "100"),
     ("fo", "0")],
    [
        rec("192.0.2.30", 25, "none", "pass", "pass", "example.net", ef="example.net",
            dk=[("example.net", "mx2026", "pass")], sp=[("example.net", "mfrom", "pass")]),
        rec("198.51.100.65", 40, "none", "fail", "fail", "example.net", ef="bounces.sendgrid.net",
            sp=[("bounces.sendgrid.net", "mfrom", "pass")]),
    ],
    version="1.0")
mc_name = "mimecast.org!example.net!%d!%d!%s.xml.gz" % (mc_b, mc_e, mc_id)
write("mimecast-gzip-body.eml", crlf("""From: no-reply@eu-1.mimecastreport.com
Subject: Report domain: example.net Submitter: mimecast.org Report-ID: 
To: <dmarc-rua@example.net>
Message-Id: <4973f467-4c66-4341-a50a-cf1a87033376@eu-1.mimecastreport.com>
Date: Fri, 06 Nov 2026 10:06:12 +0000
Content-Type: application/gzip
Content-Transfer-Encoding: base64
Content-Disposition: attachment;
 filename="%(name)s"
MIME-Version: 1.0

%(b)s
""" % dict(name=mc_name, b=b64lines(gz(mc_xml.encode())))))

# ---------------------------------------------------------------------------------------------------
# Yahoo: every line, the XML declaration included, ends with a TAB; no sp, envelope_from, scope, version.
yahoo_b, yahoo_e = NOV[6], NOV[6] + DAY - 1
yahoo_xml = feedback(
    dict(org_name="Yahoo", email="dmarchelp@yahooinc.com", report_id="1794015019.487850",
         begin=yahoo_b, end=yahoo_e),
    [("domain", "example.com"), ("adkim", "r"), ("aspf", "r"), ("p", "reject"), ("pct", "100")],
    [
        rec("192.0.2.43", 320, "none", "pass", "pass", "example.com",
            dk=[("example.com", "google", "pass")], sp=[("example.com", None, "pass")]),
        rec("198.51.100.136", 45, "none", "pass", "fail", "example.com",
            dk=[("example.com", "k1", "pass")], sp=[("mail136.suw121.mcsv.net", None, "pass")]),
        rec("203.0.113.178", 17, "reject", "fail", "fail", "example.com",
            sp=[("example.com", None, "fail")]),
    ],
    decl='<?xml version="1.0"?>', eol="\t")
write("yahoo-trailing-tabs.xml", yahoo_xml)

# ---------------------------------------------------------------------------------------------------
# Invalid UTF-8: a windows-1252 0x91 quote byte inside a UTF-8 document (reason comment and org_name).
bad = ("""<?xml version="1.0" encoding="UTF-8"?>
<feedback>
  <report_metadata>
    <org_name>Relay \x91Nord\x92 GmbH</org_name>
    <email>dmarc@relay-nord.example</email>
    <report_id>relay-nord-20261107-0001</report_id>
    <date_range>
      <begin>%d</begin>
      <end>%d</end>
    </date_range>
  </report_metadata>
  <policy_published>
    <domain>example.net</domain>
    <adkim>r</adkim>
    <aspf>r</aspf>
    <p>none</p>
    <sp>none</sp>
    <pct>100</pct>
  </policy_published>
  <record>
    <row>
      <source_ip>192.0.2.30</source_ip>
      <count>6</count>
      <policy_evaluated>
        <disposition>none</disposition>
        <dkim>pass</dkim>
        <spf>pass</spf>
      </policy_evaluated>
    </row>
    <identifiers>
      <envelope_from>example.net</envelope_from>
      <header_from>example.net</header_from>
    </identifiers>
    <auth_results>
      <dkim>
        <domain>example.net</domain>
        <selector>mx2026</selector>
        <result>pass</result>
      </dkim>
      <spf>
        <domain>example.net</domain>
        <scope>mfrom</scope>
        <result>pass</result>
      </spf>
    </auth_results>
  </record>
</feedback>
""" % (NOV[7], NOV[7] + DAY - 1)).encode("latin-1")
write("quirk-invalid-utf8.xml", bad)


# ---------------------------------------------------------------------------------------------------
# A zip holding two reports (two policy domains from one reporter, as some archivers bundle them).
def small(domain, rid, b, e, ip, count, own_ip):
    return feedback(
        dict(org_name="Fastmail Pty Ltd", email="dmarc-reports@fastmail.example", report_id=rid, begin=b, end=e),
        [("domain", domain), ("adkim", "r"), ("aspf", "r"), ("p", "reject" if domain == "example.org" else "none"),
         ("sp", "reject" if domain == "example.org" else "none"), ("pct", "100"), ("fo", "0")],
        [
            rec(own_ip, count, "none", "pass", "pass", domain, ef=domain,
                dk=[(domain, "mail", "pass")], sp=[(domain, "mfrom", "pass")]),
            rec(ip, 1, "reject" if domain == "example.org" else "none", "fail", "fail", domain, ef=domain,
                sp=[(domain, "mfrom", "fail")]),
        ], version="1.0")


zip_b, zip_e = NOV[8], NOV[8] + DAY - 1
write("two-reports.zip", zipped([
    ("fastmail.com!example.org!%d!%d!2001001.xml" % (zip_b, zip_e),
     small("example.org", "2001001", zip_b, zip_e, "203.0.113.190", 21, "192.0.2.25").encode()),
    ("fastmail.com!example.net!%d!%d!2001002.xml" % (zip_b, zip_e),
     small("example.net", "2001002", zip_b, zip_e, "203.0.113.191", 7, "192.0.2.30").encode()),
]))

# ---------------------------------------------------------------------------------------------------
# A mail with two report attachments (a .xml.gz and a plain text/xml), as a relay's batch digest sends.
two_b, two_e = NOV[9], NOV[9] + DAY - 1
comcast_xml = feedback(
    dict(org_name="comcast.net", email="dmarc_support@comcast.net", report_id="comcast.net:1794268799:example.com",
         begin=two_b, end=two_e),
    [("domain", "example.com"), ("adkim", "r"), ("aspf", "r"), ("p", "reject"), ("sp", "reject"), ("pct", "100"),
     ("fo", "0")],
    [rec("192.0.2.44", 88, "none", "pass", "pass", "example.com", ef="example.com",
         dk=[("example.com", "google", "pass")], sp=[("example.com", "mfrom", "pass")])],
    version="1.0")
comcast2_xml = feedback(
    dict(org_name="comcast.net", email="dmarc_support@comcast.net", report_id="comcast.net:1794268799:example.org",
         begin=two_b, end=two_e),
    [("domain", "example.org"), ("adkim", "r"), ("aspf", "r"), ("p", "reject"), ("sp", "reject"), ("pct", "100"),
     ("fo", "0")],
    [rec("192.0.2.25", 19, "none", "pass", "pass", "example.org", ef="example.org",
         dk=[("example.org", "mail", "pass")], sp=[("example.org", "mfrom", "pass")]),
     rec("203.0.113.51", 5, "none", "fail", "fail", "example.org", ef="lists.example.net",
         dk=[("example.org", "mail", "fail"), ("lists.example.net", "list", "pass")],
         sp=[("lists.example.net", "mfrom", "pass")], reasons=[("mailing_list", "list footer broke DKIM")])],
    version="1.0")
write("two-attachments.eml", crlf("""From: DMARC Reports <dmarc_support@comcast.net>
To: dmarc-rua@example.com
Subject: DMARC aggregate reports for 2026-11-09
Date: Tue, 10 Nov 2026 06:00:00 +0000
Message-ID: <digest-20261109@comcast.net>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="digest-boundary-0001"

--digest-boundary-0001
Content-Type: text/plain; charset=us-ascii

Two DMARC aggregate reports are attached.

--digest-boundary-0001
Content-Type: application/gzip; name="comcast.net!example.com!%(b)d!%(e)d.xml.gz"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="comcast.net!example.com!%(b)d!%(e)d.xml.gz"

%(g)s

--digest-boundary-0001
Content-Type: text/xml; charset=utf-8; name="comcast.net!example.org!%(b)d!%(e)d.xml"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="comcast.net!example.org!%(b)d!%(e)d.xml"

%(x)s

--digest-boundary-0001--
""" % dict(b=two_b, e=two_e, g=b64lines(gz(comcast_xml.encode())), x=b64lines(comcast2_xml.encode()))))

# ---------------------------------------------------------------------------------------------------
# A report mail forwarded as message/rfc822 inside another mail (a colleague's "Fwd:").
fw_b, fw_e = NOV[10], NOV[10] + DAY - 1
fw_xml = feedback(
    dict(org_name="google.com", email="noreply-dmarc-support@google.com",
         extra_contact_info="https://support.google.com/a/answer/2466580",
         report_id="5264580628977113351", begin=fw_b, end=fw_e),
    [("domain", "example.net"), ("adkim", "r"), ("aspf", "r"), ("p", "none"), ("sp", "none"), ("pct", "100"),
     ("np", "none")],
    [rec("192.0.2.30", 73, "none", "pass", "pass", "example.net",
         dk=[("example.net", "mx2026", "pass")], sp=[("example.net", None, "pass")]),
     rec("198.51.100.65", 128, "none", "fail", "fail", "example.net",
         sp=[("bounces.sendgrid.net", None, "pass")])],
    decl='<?xml version="1.0" encoding="UTF-8" ?>')
fw_name = "google.com!example.net!%d!%d" % (fw_b, fw_e)
inner = """MIME-Version: 1.0
Date: Wed, 11 Nov 2026 15:59:59 -0800
Message-ID: <5264580628977113351@google.com>
Subject: Report domain: example.net Submitter: google.com Report-ID: 5264580628977113351
From: noreply-dmarc-support@google.com
To: postmaster@example.net
Content-Type: application/zip; 
\tname="%(n)s.zip"
Content-Disposition: attachment; 
\tfilename="%(n)s.zip"
Content-Transfer-Encoding: base64

%(b)s
""" % dict(n=fw_name, b=b64lines(zipped([(fw_name + ".xml", fw_xml.encode())])))
write("forwarded-as-rfc822.eml", crlf("""From: Alex Admin <alex@example.net>
To: dmarc-rua@example.net
Subject: Fwd: Report domain: example.net Submitter: google.com Report-ID: 5264580628977113351
Date: Thu, 12 Nov 2026 09:12:00 +0100
Message-ID: <fwd-7731@example.net>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fwd-boundary-42"

--fwd-boundary-42
Content-Type: text/plain; charset=utf-8

This landed in postmaster@ instead of the report mailbox, forwarding it.

--fwd-boundary-42
Content-Type: message/rfc822
Content-Disposition: attachment; filename="Report domain example.net.eml"

%(inner)s
--fwd-boundary-42--
""" % dict(inner=inner)))

# ---------------------------------------------------------------------------------------------------
# A base64 text file: an .xml.gz attachment body saved as text (76-character lines).
b64_b, b64_e = NOV[11], NOV[11] + DAY - 1
b64_xml = feedback(
    dict(org_name="Orange", email="dmarc.reports@orange.example", report_id="orange-example.org-20261111",
         begin=b64_b, end=b64_e),
    [("domain", "example.org"), ("adkim", "r"), ("aspf", "r"), ("p", "reject"), ("sp", "reject"), ("pct", "100")],
    [rec("192.0.2.25", 33, "none", "pass", "pass", "example.org", ef="example.org",
         dk=[("example.org", "mail", "pass")], sp=[("example.org", "mfrom", "pass")]),
     rec("203.0.113.24", 6, "none", "pass", "fail", "example.org", ef="example.org",
         dk=[("example.org", "mail", "pass")], sp=[("example.org", "mfrom", "fail")])],
    version="1.0")
write("base64-text.txt", b64lines(gz(b64_xml.encode())).replace("\r\n", "\n") + "\n")

print("written to", OUT)
