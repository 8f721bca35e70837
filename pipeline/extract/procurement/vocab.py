"""Field labels of procurement announcements and the raw field each one fills.

Labels are compared compact: whitespace and parenthesized parts removed (``中标（成交）金额`` ->
``中标金额``, ``采 购 人`` -> ``采购人``, ``预算金额（万元）`` -> ``预算金额`` with 万元 kept as the
unit). Sources: the 公告概要 table of the ccgp detail template (realpages ccgp_gov award pages),
the 2020 national format (财办库〔2020〕50号) and the older ccgp layout (一、项目信息 ...).
"""

from __future__ import annotations

import re

# 公告概要 summary table (``<td class="title">LABEL</td><td>VALUE</td>``).
SUMMARY_LABELS: dict[str, str] = {
    "采购项目名称": "project_name",
    "项目名称": "project_name",
    "项目编号": "project_number",
    "采购项目编号": "project_number",
    "采购单位": "purchaser",
    "采购人": "purchaser",
    "代理机构名称": "agency",
    "代理机构": "agency",
    "采购代理机构": "agency",
    "行政区域": "region",
    "预算金额": "budget_amount",
    "开标时间": "bid_opening",
    "总中标金额": "award_amount",
    "总成交金额": "award_amount",
    "中标金额": "award_amount",
    "成交金额": "award_amount",
    "合同金额": "contract_amount",
    "合同签订日期": "contract_date",
    "合同签署时间": "contract_date",
    "中标日期": "award_date",
    "成交日期": "award_date",
    "采购人名称": "purchaser",
    "采购方式": "method",
}

# Labelled lines of the body (``项目编号：…``). ``None``: a label we skip, known so that the value
# before it ends where it starts. ``supplier``/``lot_amount``/``lot``: award lines.
BODY_LABELS: dict[str, str | None] = {
    "项目编号": "project_number",
    "采购项目编号": "project_number",
    "原公告的采购项目编号": "project_number",
    "原公告项目编号": "project_number",
    "招标编号": "project_number",
    "项目名称": "project_name",
    "采购项目名称": "project_name",
    "原公告的采购项目名称": "project_name",
    "原公告项目名称": "project_name",
    "采购人": "purchaser",
    "采购单位": "purchaser",
    "采购人名称": "purchaser",
    "采购单位名称": "purchaser",
    "采购人全称": "purchaser",
    "采购代理机构": "agency",
    "代理机构": "agency",
    "采购代理机构名称": "agency",
    "代理机构名称": "agency",
    "采购代理机构全称": "agency",
    "预算金额": "budget_amount",
    "项目预算": "budget_amount",
    "采购预算": "budget_amount",
    "采购方式": "method",
    "提交投标文件截止时间": "bid_deadline",
    "提交响应文件截止时间": "bid_deadline",
    "响应文件提交截止时间": "bid_deadline",
    "投标截止时间": "bid_deadline",
    "投标文件递交截止时间": "bid_deadline",
    "递交投标文件截止时间": "bid_deadline",
    "开标时间": "bid_opening",
    "更正后提交投标文件截止时间": "bid_deadline",
    "更正后提交响应文件截止时间": "bid_deadline",
    "更正后投标截止时间": "bid_deadline",
    "更正后开标时间": "bid_opening",
    "更正后响应文件开启时间": "bid_opening",
    "开启时间": "bid_opening",
    "响应文件开启时间": "bid_opening",
    "总中标金额": "award_amount",
    "总成交金额": "award_amount",
    "中标总金额": "award_amount",
    "成交总金额": "award_amount",
    "合同金额": "contract_amount",
    "合同签订日期": "contract_date",
    "中标日期": "award_date",
    "成交日期": "award_date",
    "中标供应商": "supplier",
    "成交供应商": "supplier",
    "中标供应商名称": "supplier",
    "成交供应商名称": "supplier",
    "中标人": "supplier",
    "中标人名称": "supplier",
    "供应商名称": "supplier_in_award",
    "中标金额": "lot_amount",
    "成交金额": "lot_amount",
    "包号": "lot",
    "标包": "lot",
    "包组": "lot",
    "采购包": "lot",
    "名称": "name",  # meaning given by the section it is in (采购人信息 / 采购代理机构信息 ...)
    "截止时间": "deadline",
    "时间": "time",
}
_STOP_LABELS = (
    "地址", "联系方式", "联系人", "联系电话", "电话", "传真", "邮编", "地点", "项目联系人",
    "供应商地址", "采购人地址", "采购单位地址", "代理机构地址", "采购代理机构地址",
    "采购单位联系方式", "采购代理机构联系方式", "代理机构联系方式", "最高限价", "采购需求",
    "合同履行期限", "品目", "行政区域", "公告时间", "首次公告日期",
    "更正日期", "更正事项", "更正内容", "合同编号", "合同名称", "招标文件编号", "信息来源",
    "签署时间",
)  # fmt: skip
BODY_LABELS.update(dict.fromkeys(_STOP_LABELS))

# Section headings that give a generic label (名称, 时间 ...) its meaning.
CONTEXTS: dict[str, str] = {
    "采购人信息": "purchaser",
    "采购单位信息": "purchaser",
    "采购人": "purchaser",
    "采购代理机构信息": "agency",
    "代理机构信息": "agency",
    "采购代理机构": "agency",
    "中标信息": "award",
    "成交信息": "award",
    "中标结果": "award",
    "成交结果": "award",
    "响应文件提交": "deadline",
    "投标文件提交": "deadline",
    "开启": "opening",
    "响应文件开启": "opening",
    "开标": "opening",
    "合同主体": "contract",
    "项目联系方式": "other",
}
GENERIC_NAMES = frozenset({"name", "supplier_in_award", "deadline", "time"})
# (generic label, context) -> raw field
GENERIC: dict[tuple[str, str], str] = {
    ("name", "purchaser"): "purchaser",
    ("name", "agency"): "agency",
    ("name", "award"): "supplier",
    ("supplier_in_award", "award"): "supplier",
    ("deadline", "deadline"): "bid_deadline",
    ("deadline", "deadline_opening"): "bid_deadline",
    ("time", "deadline"): "bid_deadline",
    ("time", "opening"): "bid_opening",
    ("time", "deadline_opening"): "deadline_opening",
}
AWARD_LINE_FIELDS = frozenset({"supplier", "lot_amount", "lot"})

# 评审专家（单一来源采购人员）名单, 评审委员会成员名单, 谈判小组、询价小组…名单 ...
EXPERTS_LABEL = re.compile(
    r"(?:评审专家|评审委员会|评标委员会|评审小组|谈判小组|磋商小组|询价小组|单一来源采购人员)"
    r"[^供]*名单$"
)
# 四、提交投标文件截止时间、开标时间和地点: one date below serves both.
DEADLINE_AND_OPENING = re.compile(r"截止时间.*开标时间|开标时间.*截止时间")
