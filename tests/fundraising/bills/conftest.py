"""Fixtures of the bill tests: the platforms' channels, a bank account, a project fund the charity
platform's export names, and the sample bills (tests/fundraising/bills/samples)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fundraising.bills import services
from fundraising.models import Channel, Fund

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str, *, drop: str = "") -> bytes:
    """A sample bill's bytes; `drop` removes the lines containing that text (the bad row, once the
    officer has corrected the file)."""
    data = (SAMPLES / name).read_bytes()
    if not drop:
        return data
    encoding = "gbk" if not data.startswith(b"\xef\xbb\xbf") else "utf-8-sig"
    text = data.decode(encoding)
    kept = "".join(line for line in text.splitlines(keepends=True) if drop not in line)
    return (b"\xef\xbb\xbf" if encoding == "utf-8-sig" else b"") + kept.encode(
        "gbk" if encoding == "gbk" else "utf-8"
    )


def upload(channel, user, data: bytes, name="bill.csv", **kwargs):
    return services.bill_upload(
        channel=channel, upload=SimpleUploadedFile(name, data, content_type="text/csv"), by=user, **kwargs
    )


@pytest.fixture
def finance(people):
    return people["finance_officer"]


@pytest.fixture
def channels(db):
    return {
        code: Channel.objects.create(code=code, name=name, kind=kind)
        for code, name, kind in [
            ("wechat-pay", "WeChat Pay merchant account", Channel.Kind.ONLINE),
            ("alipay-account", "Alipay merchant account", Channel.Kind.ONLINE),
            ("tencent", "Tencent charity platform", Channel.Kind.ONLINE),
            ("bank", "Foundation bank account", Channel.Kind.BANK),
        ]
    }


@pytest.fixture
def elder_fund(db):
    return Fund.objects.create(code="elder-checks", name="社区长者健康检查", kind=Fund.Kind.COMMUNITY)
