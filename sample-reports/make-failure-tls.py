#!/usr/bin/env python3
"""Generates the failure (ruf) and SMTP TLS sample reports of sample-reports/failure/ and tls/.

Run once from anywhere: python3 sample-reports/make-failure-tls.py
Deterministic (gzip mtime 0, fixed boundaries): re-running it changes nothing. The files are committed
because the tests and the demo read them. Everything here is written by us, in the shapes real
reporters use; addresses are documentation ranges and domains are example.com/.org/.net.
"""
import base64
import gzip
import json
import os

ROOT = os.path.dirname(os.path.abspath(__file__))
FAILURE = os.path.join(ROOT, "failure")
TLS = os.path.join(ROOT, "tls")
DAY = 86400
NOV = {d: 1793491200 + (d - 1) * DAY for d in range(1, 31)}  # 2026-11-DD 00:00:00 UTC


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def gz(text):
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def b64lines(data, width=76):
    s = base64.b64encode(data).decode("ascii")
    return "\n".join(s[i:i + width] for i in range(0, len(s), width))


# ---------------------------------------------------------------------------------------------
# failure/

ARF_FULL = """\
Return-Path: <>
Received: from mx1.mail.example.net (mx1.mail.example.net [198.51.100.7])
\tby mx.example.com (Postfix) with ESMTPS id 7C1A2200B1
\tfor <ruf@example.com>; Tue, 17 Nov 2026 09:14:04 +0000 (UTC)
From: "Example Mail DMARC" <dmarc-ruf@mail.example.net>
To: ruf@example.com
Subject: DMARC Failure Report for example.com (mail-from=billing@example.com, ip=203.0.113.177)
Date: Tue, 17 Nov 2026 09:14:03 +0000
Message-ID: <ruf-20261117091403-4471@mail.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
\tboundary="=_ruf_4471"

This is a multi-part message in MIME format.

--=_ruf_4471
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

This is an authentication failure report for an email message received from IP 203.0.113.177 on Tue, 17 Nov 2026 09:13:58 +0000.
The message below did not meet the sending domain's DMARC policy (p=reject) and was rejected.
For more information about this format please see https://www.rfc-editor.org/rfc/rfc9991 .

--=_ruf_4471
Content-Type: message/feedback-report

Feedback-Type: auth-failure
User-Agent: ExampleMail-DMARC/3.2
Version: 1
Original-Envelope-Id: 4Rk2Xw0b7Qz
Original-Mail-From: <billing@example.com>
Original-Rcpt-To: <j.doe@example.net>
Original-Rcpt-To: <accounts@example.net>
Arrival-Date: Tue, 17 Nov 2026 09:13:58 +0000
Reporting-MTA: dns; mx1.mail.example.net
Source-IP: 203.0.113.177
Source-Port: 50412
Incidents: 2
Authentication-Results: mx1.mail.example.net; dmarc=fail (p=reject dis=reject)
  header.from=example.com
Authentication-Results: mx1.mail.example.net; dkim=fail (signature verification failed)
  header.d=example.com header.s=google; spf=fail smtp.mailfrom=example.com
Auth-Failure: dmarc
Identity-Alignment: none
Delivery-Result: reject
DKIM-Domain: example.com
DKIM-Selector: google
DKIM-Identity: @example.com
SPF-DNS: txt : example.com : "v=spf1 include:_spf.google.com include:sendgrid.net -all"
Reported-Domain: example.com

--=_ruf_4471
Content-Type: message/rfc822
Content-Disposition: attachment; filename="original.eml"

Received: from billing-example.test (unknown [203.0.113.177])
\tby mx1.mail.example.net with ESMTP id 4Rk2Xw0b7Qz
\tfor <j.doe@example.net>; Tue, 17 Nov 2026 09:13:58 +0000
Authentication-Results: mx1.mail.example.net;
\tdkim=fail (signature verification failed) header.d=example.com header.s=google;
\tspf=fail smtp.mailfrom=example.com;
\tdmarc=fail (p=reject dis=reject) header.from=example.com
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com;
\ts=google; t=1795338835; h=from:to:subject:date:message-id;
\tbh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;
\tb=dGhpcyBzaWduYXR1cmUgd2FzIGNvcGllZCBmcm9tIGFub3RoZXIgbWVzc2FnZQ==
From: "Example Billing" <billing@example.com>
To: <j.doe@example.net>
Cc: <accounts@example.net>
Subject: =?UTF-8?Q?Ihre_Rechnung_Nr._2026-1147_=E2=80=93_249,00_=E2=82=AC?=
Date: Tue, 17 Nov 2026 10:13:55 +0100
Message-ID: <20261117101355.8812@billing-example.test>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Sehr geehrte Kundin, sehr geehrter Kunde,

Ihre Rechnung über 249,00 € ist fällig. Bitte zahlen Sie über den folgenden Link:
hxxp://billing-example.test/pay?id=2026-1147

Mit freundlichen Grüßen
Ihr Abrechnungsteam

--=_ruf_4471--
"""

ARF_HEADERS_ONLY = """\
Return-Path: <opendmarc@mx.example.net>
Received: by mx.example.net (Postfix, from userid 116)
\tid 5D1E3A40C2; Wed, 18 Nov 2026 06:02:11 +0000 (UTC)
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/simple; d=mx.example.net;
\ts=mail; t=1795413731; bh=2b0zZ0u8HnSfI4o0VvL2vH4o3o0s+0vE2pJ0ld5C3bU=;
\th=From:To:Date:Subject:From;
\tb=c2lnbmF0dXJlIG9mIHRoZSByZXBvcnQgaXRzZWxmLCBub3Qgb2YgdGhlIHNhbXBsZQ==
From: OpenDMARC Filter <opendmarc@mx.example.net>
To: dmarc-ruf@example.org
Date: Wed, 18 Nov 2026 06:02:11 +0000 (UTC)
Subject: FW: Minutes of the steering group, 17 November
MIME-Version: 1.0
Content-Type: multipart/report;
\treport-type=feedback-report;
\tboundary="mx.example.net:5D1E3A40C2"
Message-Id: <20261118060211.5D1E3A40C2@mx.example.net>

--mx.example.net:5D1E3A40C2
Content-Type: text/plain

This is an authentication failure report for an email message received from IP
203.0.113.51 on Wed, 18 Nov 2026 06:02:09 +0000 (UTC).

--mx.example.net:5D1E3A40C2
Content-Type: message/feedback-report

Feedback-Type: auth-failure
Version: 1
User-Agent: OpenDMARC-Filter/1.4.2
Auth-Failure: dmarc
Authentication-Results: mx.example.net; dmarc=fail header.from=example.org
Original-Envelope-Id: 5D1E3A40C2
Original-Mail-From: steering-bounces@lists.example.net
Source-IP: 203.0.113.51 (lists.example.net)
Reported-Domain: example.org

--mx.example.net:5D1E3A40C2
Content-Type: text/rfc822-headers

Authentication-Results: mx.example.net;
\tdkim=fail reason="signature verification failed" (2048-bit key; unprotected) header.d=example.org header.i=@example.org header.b="Jk3vT0aQ";
\tdkim-atps=neutral
Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=lists.example.net
Received: from lists.example.net (lists.example.net [203.0.113.51])
\tby mx.example.net (Postfix) with ESMTPS id 5D1E3A40C2
\tfor <board@example.net>; Wed, 18 Nov 2026 06:02:09 +0000 (UTC)
Received: from mail-sor-f41.google.com (mail-sor-f41.google.com [192.0.2.41])
\tby lists.example.net (Postfix) with ESMTPS id 0B77E1F0
\tfor <steering@lists.example.net>; Wed, 18 Nov 2026 06:02:02 +0000 (UTC)
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;
\td=example.org; s=google; t=1795413720;
\th=subject:date:message-id:to:from:mime-version;
\tbh=q1/OPSn+VXteY2+DHXqOIgs5LsNCJisEcQIKVW9it6I=;
\tb=Jk3vT0aQd2F0ZXItbWFya2VkIGZvciB0aGUgc2FtcGxlIG9ubHksIG5vdCBhIHJlYWwga2V5
From: Maria Example <maria@example.org>
To: steering@lists.example.net
Subject: [steering] Minutes of the steering group, 17 November
Date: Wed, 18 Nov 2026 07:01:59 +0100
Message-ID: <CAF3x9q0minutes1117@mail.gmail.example>
List-Id: <steering.lists.example.net>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="000000000000f00dfeed0626a1b2"

--mx.example.net:5D1E3A40C2--
"""

EXIM_NOTICE = """\
Return-Path: <no-reply@mailgate.example.net>
Received: from mailgate.example.net (mailgate.example.net [198.51.100.176])
\tby mx.example.com (Postfix) with ESMTPS id 3F0A9B2212
\tfor <dmarc@example.com>; Thu, 19 Nov 2026 22:16:09 +0100 (CET)
Received: from root by mailgate.example.net with local-generated (Exim 4.97)
\t(envelope-from <no-reply@mailgate.example.net>)
\tid 1vKtpB-00AA5u-ED
\tfor dmarc@example.com; Thu, 19 Nov 2026 22:16:09 +0100
Content-Type: multipart/report;
 boundary="===============2510560795302005415=="
MIME-Version: 1.0
Subject: DMARC Forensic Report for example.com from IP 203.0.113.188
From: no-reply@mailgate.example.net
To: dmarc@example.com
Date: Thu, 19 Nov 2026 22:16:09 +0100
Auto-Submitted: auto-replied
Message-Id: <E1vKtpB-00AA5u-ED@mailgate.example.net>

--===============2510560795302005415==
Content-Type: text/plain; charset="us-ascii"
MIME-Version: 1.0
Content-Transfer-Encoding: 7bit

A message claiming to be from you has failed the published DMARC policy for your domain.

  Sender Domain: example.com
  Sender IP Address: 203.0.113.188
  Received Date: Thu, 19 Nov 2026 22:16:08 +0100
  SPF Alignment: no
  DKIM Alignment: no
  DMARC Results: Reject

------ This is a copy of the headers that were received before the error was detected.

Received: from [203.0.113.188] (helo=smtpclient.example)
\tby mailgate.example.net with esmtp (Exim 4.97)
\t(envelope-from <ceo@example.com>)
\tid 1vKtpA-00AAwZ-CR
\tfor finance@example.net; Thu, 19 Nov 2026 22:16:08 +0100
Content-Type: text/plain;
\tcharset=utf-8
Content-Transfer-Encoding: 8bit
From: "CEO" <ceo@example.com>
MIME-Version: 1.0 (1.0)
Date: Thu, 19 Nov 2026 15:16:05 -0600
Subject: Urgent wire transfer today
Message-Id: <5E0C2B11-7A41-4C0B-9D33-0E5F1AA2C001@example.com>
To: <finance@example.net>
Received-SPF: fail (mailgate.example.net: domain of example.com does not designate 203.0.113.188 as permitted sender) client-ip=203.0.113.188; envelope-from=ceo@example.com; helo=smtpclient.example;
X-DKIM-Status: none /  / example.com /  /  /
Authentication-Results: mailgate.example.net;
\tiprev=fail smtp.remote-ip=203.0.113.188;
\tspf=fail smtp.mailfrom=example.com;
\tdmarc=fail header.from=example.com

--===============2510560795302005415==--
"""

NETEASE_FEEDBACK = (
    "Feedback-Type: auth-failure\r\n"
    "User-Agent: ExampleDmarcReporter/1.0\r\n"
    "Version: 1\r\n"
    "Original-Mail-From: <bounces+2217-ab1c=mail.example.net@em.example.com>\r\n"
    "Arrival-Date: Fri, 20 Nov 2026 16:48:42 +0800\r\n"
    "Source-IP: 198.51.100.64\r\n"
    "Reported-Domain: example.com\r\n"
    "Original-Envelope-Id: N8CowEApcUPo6q1bnXlMAA--.44392S3\r\n"
    "Authentication-Results: mail.example.net; dkim=pass (verify result: all signatures verified) "
    "header.d=em.example.com; spf=pass smtp.mailfrom=bounces+2217-ab1c=mail.example.net@em.example.com\r\n"
    "DKIM-Domain: em.example.com\r\n"
    "Delivery-Result: delivered\r\n"
    "Identity-Alignment: spf,dkim")

NETEASE_STYLE = (
    "Authentication-Results-Original: mx.example.com; spf=Pass\r\n"
    " smtp.mailfrom=abuse@mail.example.net\r\n"
    "Received: from m12-184.mail.example.net ([198.51.100.184])  by mx.example.com with\r\n"
    " ESMTP; 20 Nov 2026 03:48:45 -0500\r\n"
    "MIME-Version: 1.0\r\n"
    "From: <abuse@mail.example.net>\r\n"
    "Subject: [Example DMARC Failure Report] Rent Reminder\r\n"
    "Date: Fri, 20 Nov 2026 16:48:43 +0800\r\n"
    "To: <dmarc-ruf@example.com>\r\n"
    "Message-ID: <5BADEAEC.AC2A83.17156@m12-184.mail.example.net>\r\n"
    "X-Originating-IP: [192.168.201.141]\r\n"
    "Return-Path: abuse@mail.example.net\r\n"
    "Content-type: multipart/mixed;\r\n"
    "\tboundary=\"B_3622128044_155770608\"\r\n"
    "\r\n"
    "> This message is in MIME format. Since your mail reader does not understand\r\n"
    "this format, some or all of this message may not be legible.\r\n"
    "\r\n"
    "--B_3622128044_155770608\r\n"
    "Content-type: text/plain;\r\n"
    "\tcharset=\"UTF-8\"\r\n"
    "Content-transfer-encoding: 7bit\r\n"
    "\r\n"
    "This is a spf/dkim authentication-failure report for an email message received from IP 198.51.100.64 "
    "on Fri, 20 Nov 2026 16:48:42 +0800.\r\n"
    "Below is some detail information about this message:\r\n"
    " 1. SPF-authenticated Identifiers: em.example.com;\r\n"
    " 2. DKIM-authenticated Identifiers: em.example.com;\r\n"
    " 3. DMARC Mechanism Check Result: Identifier non-aligned, DMARC mechanism check failures;\r\n"
    "\r\n"
    "For more information please check Aggregate Reports or mail to abuse@mail.example.net.\r\n"
    "\r\n"
    "\r\n"
    "--B_3622128044_155770608\r\n"
    "Content-type: message/feedback-report; name=\"ATT00001\";\r\n"
    " x-mac-creator=\"4F50494D\"\r\n"
    "Content-ID: <C9EED1E253B7F5459DB3AC82BC6E9953@example.net>\r\n"
    "Content-disposition: attachment;\r\n"
    "\tfilename=\"ATT00001\"\r\n"
    "Content-transfer-encoding: base64\r\n"
    "\r\n"
    "\r\n"
    + b64lines(NETEASE_FEEDBACK.encode("ascii"), 72).replace("\n", "\r\n") + "\r\n"
    "--B_3622128044_155770608\r\n"
    "Content-type: message/rfc822\r\n"
    "Content-disposition: attachment\r\n"
    "\r\n"
    "Received: from MTEzNzYxNg (unknown [198.51.100.64])\r\n"
    "\tby o1.em.example.com (SG) with HTTP id oguVx1AxQayV5Sv2nYK-rA\r\n"
    "\tfor <tenant@mail.example.net>; Fri, 20 Nov 2026 08:48:36.716 +0000 (UTC)\r\n"
    "From: 700 on Example Street <info@example.com>\r\n"
    "To: \"tenant@mail.example.net\" <tenant@mail.example.net>\r\n"
    "Subject: Rent Reminder\r\n"
    "Date: Fri, 20 Nov 2026 03:48:39 -0500\r\n"
    "Message-ID: <oguVx1AxQayV5Sv2nYK-rA@o1.em.example.com>\r\n"
    "Content-Type: text/plain; charset=\"us-ascii\"\r\n"
    "MIME-Version: 1.0\r\n"
    "\r\n"
    "Your rent of November is due on the 1st of December.\r\n"
    "\r\n"
    "--B_3622128044_155770608--\r\n"
    "\r\n")

# A reporter that base64-encodes the feedback part without saying so and leaves out Feedback-Type,
# Auth-Failure and Identity-Alignment: every one of them must come back as a warning.
SPARSE_FEEDBACK = """\
User-Agent: MailAppliance-Reporter/7.1
Version: 1
Original-Mail-From: newsletter@example.org
Original-Rcpt-To: reader@example.net
Arrival-Date: Sat Nov 21 07:20:11 2026
Source-IP: 198.51.100.135
Reported-Domain: example.org
Authentication-Results: appliance.example.net; spf=pass smtp.mailfrom=mc.example.org; dkim=pass header.d=mc.example.org; dmarc=fail header.from=example.org
"""

ARF_MISSING_FIELDS = """\
From: DMARC Reports <postmaster@appliance.example.net>
To: dmarc-ruf@example.org
Subject: Authentication failure report for example.org
Date: Sat, 21 Nov 2026 07:20:30 +0000
Message-ID: <afr-1795418430@appliance.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="afr-1795418430"

--afr-1795418430
Content-Type: text/plain

Authentication failure report (RFC 6591) from appliance.example.net.

--afr-1795418430
Content-Type: message/feedback-report

""" + b64lines(SPARSE_FEEDBACK.encode("ascii")) + """

--afr-1795418430
Content-Type: text/rfc822-headers

From: "Example Newsletter" <newsletter@example.org>
To: reader@example.net
Subject: November news
Date: Sat, 21 Nov 2026 08:20:05 +0100
Message-ID: <news-2026-11@mc.example.org>
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=mc.example.org; s=k1;
 h=from:to:subject:date; bh=frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=;
 b=bWFpbGNoaW1wLXN0eWxlIHNpZ25hdHVyZSwgbm90IGFsaWduZWQgd2l0aCBleGFtcGxlLm9yZw==

--afr-1795418430--
"""

# ---------------------------------------------------------------------------------------------
# tls/


def tls_json(report):
    return json.dumps(report, indent=4) + "\n"


GOOGLE = {
    "organization-name": "Google Inc.",
    "date-range": {"start-datetime": "2026-11-16T00:00:00Z", "end-datetime": "2026-11-16T23:59:59Z"},
    "contact-info": "smtp-tls-reporting@google.com",
    "report-id": "2026-11-16T00:00:00Z_example.com",
    "policies": [{
        "policy": {
            "policy-type": "sts",
            "policy-string": ["version: STSv1", "mode: enforce", "mx: mx1.example.com", "mx: mx2.example.com",
                              "max_age: 604800"],
            "policy-domain": "example.com",
            "mx-host": ["mx1.example.com", "mx2.example.com"]},
        "summary": {"total-successful-session-count": 1843, "total-failure-session-count": 12},
        "failure-details": [
            {"result-type": "certificate-expired", "sending-mta-ip": "192.0.2.41",
             "receiving-mx-hostname": "mx2.example.com", "receiving-ip": "192.0.2.20", "failed-session-count": 9},
            {"result-type": "validation-failure", "sending-mta-ip": "2001:db8:4860::1b",
             "receiving-mx-hostname": "mx2.example.com", "receiving-ip": "2001:db8::20", "failed-session-count": 3,
             "failure-reason-code": "X509_V_ERR_CERT_HAS_EXPIRED"}]}]}

MICROSOFT = {
    "organization-name": "Microsoft Corporation",
    "date-range": {"start-datetime": "2026-11-16T00:00:00Z", "end-datetime": "2026-11-16T23:59:59Z"},
    "contact-info": "tlsrpt-noreply@microsoft.com",
    "report-id": "134078112000000000+example.org",
    "policies": [
        {"policy": {"policy-type": "sts", "policy-domain": "example.org"},
         "summary": {"total-successful-session-count": 0, "total-failure-session-count": 4},
         "failure-details": [{"result-type": "sts-policy-fetch-error", "failed-session-count": 4}]},
        {"policy": {"policy-type": "tlsa", "policy-string": [
            "[\"3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6\","
            "\"3 1 1 2BB3ABF4D6D4E7D41C7F4C5E2B0F8E1B6D39A9B2D5E1C4F7A8B9C0D1E2F3A4B5\"]"],
            "policy-domain": "example.org"},
         "summary": {"total-successful-session-count": 212, "total-failure-session-count": 0}}]}

POSTFIX = {
    "organization-name": "mail.example.net",
    "date-range": {"start-datetime": "2026-11-17T00:00:00Z", "end-datetime": "2026-11-18T00:00:00Z"},
    "contact-info": None,
    "report-id": "2026-11-17T00:00:00Z_mail.example.net_0001",
    "policies": [{
        "policy": {"policy-type": "no-policy-found"},
        "summary": {"total-successful-session-count": 57, "total-failure-session-count": 0}}]}

MX_HOST_STRING = {
    "organization-name": "Example Sender",
    "date-range": {"start-datetime": "2026-11-18T00:00:00Z", "end-datetime": "2026-11-18T23:59:59Z"},
    "contact-info": "sts-reporting@example.net",
    "report-id": "5065427c-23d3-47ca-b6e0-946ea0e8c4be",
    "policies": [{
        "policy": {
            "policy-type": "sts",
            "policy-string": ["version: STSv1", "mode: testing", "mx: mail.example.org", "max_age: 86400"],
            "policy-domain": "example.org",
            "mx-host": "mail.example.org"},
        "summary": {"total-successful-session-count": 5326, "total-failure-session-count": 303},
        "failure-details": [
            {"result-type": "certificate-host-mismatch", "sending-mta-ip": "2001:db8:abcd:12::1",
             "receiving-mx-hostname": "mail.example.org", "failed-session-count": 100},
            {"result-type": "starttls-not-supported", "sending-mta-ip": "2001:db8:abcd:13::1",
             "receiving-mx-hostname": "mail.example.org", "receiving-mx-helo": "backup.example.org",
             "receiving-ip": "192.0.2.25", "failed-session-count": 200,
             "additional-information": "https://reports.example.net/report_info?id=5065427c-23d3#StarttlsNotSupported"},
            {"result-type": "validation-failure", "sending-mta-ip": "198.51.100.62", "receiving-ip": "192.0.2.25",
             "receiving-mx-hostname": "mail.example.org", "failed-session-count": 3,
             "failure-reason-code": "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED"}]}]}


def tlsrpt_mail(report_gz):
    begin = NOV[16]
    name = "google.com!example.com!%d!%d!001.json.gz" % (begin, begin + DAY - 1)
    return """\
Return-Path: <noreply-smtp-tls-reporting@google.com>
From: noreply-smtp-tls-reporting@google.com
To: tlsrpt@example.com
Date: Tue, 17 Nov 2026 11:59:59 -0800
Subject: Report Domain: example.com Submitter: google.com Report-ID: <2026-11-16T00:00:00Z_example.com@google.com>
Message-ID: <00000000000025d1e80626c1f2a3@google.com>
TLS-Report-Domain: example.com
TLS-Report-Submitter: google.com
MIME-Version: 1.0
Content-Type: multipart/report; boundary="00000000000025d1d80626c1f2a2"; report-type=tlsrpt

--00000000000025d1d80626c1f2a2
Content-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes

This is an aggregate TLS report from google.com

--00000000000025d1d80626c1f2a2
Content-Type: application/tlsrpt+gzip;\x20
\tname="%s"
Content-Disposition: attachment;\x20
\tfilename="%s"
Content-Transfer-Encoding: base64

%s
--00000000000025d1d80626c1f2a2--
""" % (name, name, b64lines(report_gz))


def main():
    write(FAILURE, "arf-full-message.eml", ARF_FULL)
    write(FAILURE, "arf-headers-only.eml", ARF_HEADERS_ONLY)
    write(FAILURE, "exim-plain-text.eml", EXIM_NOTICE)
    write(FAILURE, "netease-style.eml", NETEASE_STYLE)
    write(FAILURE, "arf-missing-fields.eml", ARF_MISSING_FIELDS)
    google_gz = gz(tls_json(GOOGLE))
    write(TLS, "google-sts.json.gz", google_gz)
    write(TLS, "microsoft-report-id-plus.json", tls_json(MICROSOFT))
    write(TLS, "postfix-no-policy-found.json", tls_json(POSTFIX))
    write(TLS, "mx-host-string.json", tls_json(MX_HOST_STRING))
    write(TLS, "tlsrpt-mail.eml", tlsrpt_mail(google_gz))


if __name__ == "__main__":
    main()
