"""Who buys what from whom: purchasers, agencies, items, supplier names (data only).

Names of units and agencies are real-looking 湛江 bodies; suppliers, people and addresses are
fictional. Everything is clean text (ASCII digits, CJK punctuation, no spaces).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Purchaser:
    name: str
    region: str  # 行政区域 as the summary table shows it
    tag: str  # what it buys: school, hospital, police, city, gov
    address: str
    weight: int = 1


@dataclass(frozen=True)
class Agency:
    name: str
    address: str
    style: str  # project number style, see projects.project_number()


@dataclass(frozen=True)
class Item:
    stem: str  # 办公设备, 物业管理服务 …
    pinmu: str  # 品目
    kind: str  # goods, services, works
    tags: tuple[str, ...]  # purchaser tags that buy it ("all": everyone)
    low: int  # budget range in 万元
    high: int
    need: str  # 采购需求概况
    rate: bool = False  # awarded by 下浮率 / 折扣率 (定点 services, consulting)
    sole: bool = False  # may be bought from a single source


CITY = "湛江市"
PUBLISHER = "中国政府采购网"

PURCHASERS = (
    Purchaser("湛江市教育局", "湛江市", "gov", "湛江市赤坎区南方路32号", 3),
    Purchaser("湛江市第一中学", "湛江市", "school", "湛江市赤坎区寸金路1号", 3),
    Purchaser("湛江中心人民医院", "湛江市", "hospital", "湛江市赤坎区源珠路236号", 3),
    Purchaser("湛江市公安局赤坎分局", "赤坎区", "police", "湛江市赤坎区北桥路58号", 2),
    Purchaser("湛江市城市管理和综合执法局", "湛江市", "city", "湛江市赤坎区海北路8号", 3),
    Purchaser("湛江市财政局", "湛江市", "gov", "湛江市赤坎区南方路45号", 1),
    Purchaser("湛江市卫生健康局", "湛江市", "gov", "湛江市赤坎区椹川大道中50号", 2),
    Purchaser("湛江市第二中学", "湛江市", "school", "湛江市霞山区人民大道南61号", 2),
    Purchaser("湛江市第二人民医院", "湛江市", "hospital", "湛江市霞山区东堤路57号", 2),
    Purchaser("湛江市公安局霞山分局", "霞山区", "police", "湛江市霞山区解放西路27号", 1),
    Purchaser("湛江市交通运输局", "湛江市", "city", "湛江市赤坎区康宁路12号", 1),
    Purchaser("湛江市霞山区教育局", "霞山区", "gov", "湛江市霞山区海滨大道南88号", 1),
    Purchaser("湛江市麻章区人民医院", "麻章区", "hospital", "湛江市麻章区湖秀路3号", 1),
    Purchaser("遂溪县人民医院", "遂溪县", "hospital", "遂溪县遂城镇中山路18号", 1),
    Purchaser("廉江市第一中学", "廉江市", "school", "廉江市罗州街道人民大道中2号", 1),
    Purchaser("湛江幼儿师范专科学校", "湛江市", "school", "湛江市霞山区解放东路24号", 1),
    Purchaser("湛江市图书馆", "湛江市", "gov", "湛江市赤坎区南方路37号", 1),
    Purchaser("湛江市坡头区住房和城乡建设局", "坡头区", "city", "湛江市坡头区坡头大道9号", 1),
)

AGENCIES = (
    Agency("湛江市公共资源交易中心", "湛江市赤坎区体育北路2号", "ZJCG"),
    Agency("广东省机电设备招标中心有限公司", "广州市越秀区东风中路437号越秀城市广场南塔", "GDZC"),
    Agency("湛江市政府采购中心", "湛江市霞山区人民大道南50号", "ZJZC"),
    Agency("广东华伦招标有限公司", "湛江市赤坎区海田路18号华伦大厦8楼", "PLAN"),
    Agency("广东采联采购科技有限公司", "湛江市赤坎区椹川大道北15号5楼", "PLAN"),
)

ITEMS = (
    Item("办公设备", "货物/通用设备/计算机设备及软件/计算机设备", "goods", ("all",), 20, 300,
         "采购台式计算机、便携式计算机、打印机等办公设备一批"),
    Item("空调设备", "货物/通用设备/制冷空调设备/空调机", "goods", ("all",), 30, 600,
         "采购分体式及柜式空调设备并负责安装调试"),
    Item("医疗设备", "货物/专用设备/医疗设备/医用电子仪器设备", "goods", ("hospital",), 80, 1800,
         "采购监护仪、除颤仪、输液泵等医疗设备一批", sole=True),
    Item("彩色多普勒超声诊断系统", "货物/专用设备/医疗设备/医用超声波仪器及设备", "goods",
         ("hospital",), 150, 900, "采购高端彩色多普勒超声诊断系统并提供五年保修", sole=True),
    Item("教学设备", "货物/专用设备/教学设备", "goods", ("school",), 30, 400,
         "采购智慧黑板、实验室仪器等教学设备一批"),
    Item("课桌椅", "货物/家具用具/家具/课桌椅", "goods", ("school",), 20, 150,
         "采购学生课桌椅及教师办公桌椅"),
    Item("执法记录仪", "货物/专用设备/公安专用设备", "goods", ("police", "city"), 20, 200,
         "采购执法记录仪、采集站及配套管理软件"),
    Item("图书", "货物/图书和档案/图书", "goods", ("school", "gov"), 10, 90,
         "采购馆藏图书一批"),
    Item("物业管理服务", "服务/物业管理服务", "services", ("all",), 60, 600,
         "为办公区域提供保洁、安保、绿化及设施设备维护等物业管理服务"),
    Item("信息化系统运维服务", "服务/信息技术服务/运行维护服务", "services", ("all",), 30, 400,
         "对业务信息系统、机房及网络设备提供运行维护服务", sole=True),
    Item("保安服务", "服务/其他服务/保安服务", "services", ("school", "hospital", "gov"), 30, 300,
         "提供门岗值守、巡逻及安全防范等保安服务"),
    Item("食堂劳务外包服务", "服务/其他服务/餐饮服务", "services", ("school", "hospital"), 50, 400,
         "提供食堂膳食加工、配送及清洁等劳务服务"),
    Item("城市道路清扫保洁服务", "服务/环境服务/城乡市容环境服务", "services", ("city",), 200, 2000,
         "对城区主次干道提供机械化清扫及人工保洁服务"),
    Item("公务车辆定点维修服务", "服务/维修和保养服务/车辆维修和保养服务", "services", ("all",),
         20, 120, "确定公务车辆定点维修服务供应商，按实际维修项目结算", rate=True),
    Item("印刷服务", "服务/其他服务/印刷和出版服务", "services", ("all",), 10, 80,
         "确定文件资料及宣传品印刷服务供应商，按实际印刷量结算", rate=True),
    Item("工程造价咨询服务", "服务/工程咨询管理服务/工程造价咨询服务", "services", ("all",),
         20, 150, "确定工程造价咨询服务机构，按项目实际送审金额结算", rate=True),
    Item("校园安防工程", "工程/安装工程/智能化安装工程", "works", ("school",), 50, 500,
         "校园视频监控、周界报警及一键报警系统的建设"),
    Item("道路修缮工程", "工程/修缮工程", "works", ("city",), 100, 1500,
         "对辖区道路路面、人行道及排水设施进行修缮"),
    Item("办公楼装修改造工程", "工程/装修工程", "works", ("gov", "police"), 50, 800,
         "办公楼内部装修、水电改造及消防设施完善"),
)  # fmt: skip

# Plans an intent lists beside real projects (never tendered on this site).
INTENT_EXTRAS = (
    ("办公耗材", "采购复印纸、硒鼓等办公耗材", 5, 40),
    ("绿化养护服务", "对单位绿化区域提供日常养护服务", 10, 60),
    ("档案数字化服务", "对历年文书档案进行数字化加工", 20, 120),
    ("宣传品制作", "制作宣传折页、展板等宣传品", 5, 30),
    ("网络安全等级保护测评服务", "对重要信息系统开展等级保护测评", 10, 50),
    ("电梯维保服务", "对在用电梯提供日常维护保养", 5, 40),
)

SUPPLIER_PLACES = (
    ("广东", "广州市天河区"), ("湛江市", "湛江市赤坎区"), ("湛江", "湛江市霞山区"),
    ("广州市", "广州市越秀区"), ("深圳市", "深圳市南山区"), ("广东", "湛江市麻章区"),
)  # fmt: skip
SUPPLIER_WORDS = (
    "华信", "粤海", "南方", "中科", "恒通", "新创", "海湾", "蓝海", "信诚", "鸿泰", "德润", "金穗",
    "凯达", "宏图", "联创", "卓越", "海鸿", "港城", "椹川", "湖光", "天成", "国信", "瑞丰", "龙腾",
)  # fmt: skip
SUPPLIER_SUFFIXES = {
    "goods": ("科技有限公司", "设备有限公司", "贸易有限公司", "智能科技有限公司"),
    "services": ("物业服务有限公司", "信息技术有限公司", "服务有限公司", "管理咨询有限公司"),
    "works": ("建设工程有限公司", "建筑工程有限公司", "市政工程有限公司"),
}
STREETS = ("人民大道", "椹川大道", "海滨大道", "体育路", "康宁路", "解放路", "中山路", "天河路")

SURNAMES = "陈林黄李王张吴刘梁杨何郑许谢肖舒冯邓"
SINGLE_GIVEN = "华静敏军芳涛勇丽强伟"
DOUBLE_GIVEN = ("良举", "晓明", "建华", "志强", "丽娟", "海燕", "国栋", "文军", "秀英", "伟东")
TITLES = ("先生", "女士", "工", "老师")

CORRECTIONS = (
    ("采购文件", "采购需求中第{n}项技术参数“不低于{a}”更正为“不低于{b}”，其他内容不变。"),
    ("采购公告", "申请人的资格要求第{n}条更正为：具备有效的营业执照，其他内容不变。"),
    ("采购文件", "评分标准中“类似项目业绩”分值由{a}分更正为{b}分。"),
)
TERMINATIONS = {
    "终止": (
        "因采购需求发生重大变化，经采购人研究决定，终止本项目采购活动。",
        "因项目预算调整，经采购人申请，本项目终止采购。",
    ),
    "废标": (
        "截至提交投标文件截止时间，提交投标文件的供应商不足三家，根据《中华人民共和国政府采购法》"
        "第三十六条规定，本项目废标。",
        "经评审，对招标文件作出实质响应的供应商不足三家，本项目废标。",
    ),
}
REASONS_SOLE = (
    "该设备涉及专利技术，只能从唯一供应商处采购",
    "为保证原有采购项目一致性和服务配套的要求，需要继续从原供应商处添购",
)
