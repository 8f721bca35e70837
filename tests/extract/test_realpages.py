"""Frozen-page tests: every page in the real-page set, one test per field.

Notice, policy and budget pages and the gkmlpt content page: every record field. Procurement
pages: title, date and type here (their ``procurement`` objects in test_procurement_realpages).
List pages: no article. Expected values were written by reading each page (its visible title,
date line, the body's first and last paragraphs, its breadcrumb, source line, metadata block and
attachment links). Paragraphs are compared after the contract's normalization
(docs/record.md): full-width digits in ASCII, spaces collapsed. The pages are read in place
(``ZWGK_REALPAGES``); tests skip when they are not there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest

from pipeline.extract import RECORD_FIELDS
from pipeline.extract.decode import decode_html
from tests.conftest import REALPAGES, extract_json, realpage, realpage_manifest

UNSET: Any = object()  # "not asserted": the page does not show the field clearly


@dataclass(frozen=True)
class Expected:
    title: str
    publish_date: str | None
    publish_time: str | None
    first: str  # first paragraph of body_text
    last: str  # last paragraph of body_text
    chrome: tuple[str, ...]  # navigation/footer/share strings on the page, never in the body
    publisher: str | None = UNSET
    category: str | None = UNSET
    # None / (): the page shows none outside its body (checked on every page)
    author: str | None = None
    doc_number: str | None = None
    index_number: str | None = None
    doc_date: str | None = None
    attachments: tuple[tuple[str, str], ...] = ()  # (name, url)


ZJ_FILES = "https://www.zhanjiang.gov.cn/attachment/0"
JM_FILES = "http://www.jiangmen.gov.cn/attachment/0/349"
NOTICES: dict[str, Expected] = {
    "cac_gov__notice__1.html": Expected(
        title="从信息社会迈向智能社会",
        publish_date="2020-02-18",
        publish_time="09:15",
        first="人工智能(AI)是指在机器上实现类似乃至超越人类的感知、认知、行为等智能的系统。与人类历史上其他技术革命相比，人工智能对人类社会发展的影响可能位居前列。人类社会也正在由以计算机、通信、互联网、大数据等技术支撑的信息社会，迈向以人工智能为关键支撑的智能社会，人类生产生活以及世界发展格局将由此发生更加深刻的改变。",
        last="人工智能把我们从简单重复的劳动中解放出来，更有利于人类充分挖掘自己的智能潜力。面对即将到来的智能社会，我们应该以积极态度拥抱变化。与其担忧工作被抢走，不如与机器“共勉”，机器尚在持续学习，我们人类难道不应该更加努力学习、终身学习吗? (作者：公共网络发起人、毕业于重庆大学、代表作《智能社会》高金波，)",
        chrome=("设为首页", "版权所有", "【打印】", "当前位置"),
        publisher="人民日报",
        category=None,  # the breadcrumb is only 首页 > 正文, and there is no ColumnName meta
    ),
    "czj_zs_gov__notice__1.html": Expected(
        title="中山市财政局2025年工作总结与2026年工作安排",
        publish_date="2026-02-27",
        publish_time=None,
        first="2025年是中山财政很不平凡、很不容易的一年。在市委、市政府的坚强领导下，在省财政厅的指导支持下，市财政局坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大和二十届历次全会精神，深入学习贯彻习近平总书记视察广东和出席第十五届全国运动会开幕式重要讲话重要指示精神，深化对更加积极财政政策的规律性认识，积极应对复杂形势与严峻挑战，一以贯之践行“一二三四五六七”举旗攻坚工作思路，在抓收入、保支出、促改革、防风险上打出组合拳，较好完成各方面任务目标，为全市高质量发展提供坚实保障。",
        last="四是驰而不息改进工作作风。巩固拓展深入贯彻中央八项规定精神学习教育成果，坚决纠治形式主义、官僚主义，认真落实为基层减负工作要求，推动财政服务向基层、企业、群众精准下沉。健全内控监督机制，对资金分配、项目评审等领域实行全流程监控，确保财政权力在阳光下运行。",
        chrome=("当前位置", "网站标识码", "ICP备"),
        publisher="本网",  # 信息来源：本网 and 发布日期 sit in adjacent <span>s of one line
        category="政务动态",
    ),
    "fgw_zj_gov__notice__1.html": Expected(
        title="1-10月德清县固定资产投资结构趋稳趋优",
        publish_date="2016-11-22",
        publish_time=None,
        first="1-10月，全县固定资产投资完成246.79亿元，完成年度计划82.3%，同比增长15.3%，位列三县两区第一。其中第三产业投资完成119.90亿元，同比增长15.2%，位列三县两区第二，三次产业投资占比由去年同期的1.1:50.3:48.6调整为0.7:50.7:48.6，三产占比与去年持平；生产性服务业完成投资39.66亿元，占第三产业完成投资的33.1%，位列三县两区第二；项目投资完成220.53亿元，占全部投资的89.4%，位列三县两区第二；总体全县投资结构趋稳趋优。（德清县发改局）",
        last="1-10月，全县固定资产投资完成246.79亿元，完成年度计划82.3%，同比增长15.3%，位列三县两区第一。其中第三产业投资完成119.90亿元，同比增长15.2%，位列三县两区第二，三次产业投资占比由去年同期的1.1:50.3:48.6调整为0.7:50.7:48.6，三产占比与去年持平；生产性服务业完成投资39.66亿元，占第三产业完成投资的33.1%，位列三县两区第二；项目投资完成220.53亿元，占全部投资的89.4%，位列三县两区第二；总体全县投资结构趋稳趋优。（德清县发改局）",
        chrome=("无障碍浏览", "浏览次数", "信息来源"),
        publisher="省发改委",
        category="投资运行",
    ),
    "gov_cn__policy__1.html": Expected(
        title="全国人民代表大会常务委员会关于批准财政部发行特别国债购买外汇及调整2007 年末国债余额限额的决议",
        publish_date=None,  # the page shows no publish date (only the 2007年6月29日 adoption date)
        publish_time=None,
        first="全国人民代表大会常务委员会",  # the heading is split by <br>
        last="第十届全国人民代表大会常务委员会第二十八次会议，听取了财政部部长金人庆代表国务院对《国务院关于提请审议财政部发行特别国债购买外汇及调整2007年末国债余额限额的议案》作的说明，并对议案进行了审议。会议同意国务院提出的议案，同意全国人民代表大会财政经济委员会在议案审查报告中提出的建议。会议决定：批准发行15500亿元特别国债购买外汇，批准2007年末国债余额限额调整为53365.53亿元。",
        chrome=("字号", "网站标识码", "扫一扫在手机打开当前页"),
        publisher=None,
    ),
    "gxzf_gov__notice__1.html": Expected(
        title="下六甲灌区工程重要节点全面开工",
        publish_date="2024-10-17",
        publish_time="08:03",
        first="广西来宾市下六甲灌区工程是国务院150项重大水利工程之一。10月15日，在金秀瑶族自治县大樟乡施工现场，一车车混凝土缓缓倒入灌区工程游龙枢纽坝基，标志着该工程迈出全面建设的第一步。",
        last="据了解，作为下六甲灌区工程重要节点的6个枢纽以及2个泵站工程完工后，灌区水流量将提升到最高4.94立方米每秒，直接灌溉面积达7.46万亩，能够极大缓解灌区内水资源时间、空间分布不均问题，对保障桂中地区粮食安全和蔗糖业发展具有重要意义。（李晟 韦鑫）",
        chrome=("长者专区", "桂ICP备", "打印"),
        publisher="广西日报",
        category="自治区重要信息",
    ),
    "gz_gov__notice__1.html": Expected(
        title="广州美妆产业依靠自主创新持续发力",
        publish_date="2023-12-05",
        publish_time=UNSET,  # the page shows the day only; PubDate carries 09:30:26
        first="“制造美丽”推动“美丽制造”转型升级",
        last="广州艺领国际化妆品有限公司执行董事贾彩虹表示，广州化妆品制造业的转型升级积极推动了美妆产业的可持续发展。随着环保意识的提升和政策力度的加强，广州的化妆品制造业越来越注重绿色环保和可持续发展，采用更环保的材料和生产工艺，有效降低了对环境的不良影响。陈峰强调，这不仅有益于企业的可持续发展，同时也为整个广州美妆产业的持续繁荣提供了有力的支持，“这些趋势将为广州美妆产业的未来发展提供新的机遇和挑战，同时也需要企业、政府和社会的共同努力来实现高质量发展的目标。”",
        chrome=("长者助手", "扫一扫在手机打开当前页", "相关附件", "相关新闻"),
        publisher="广州日报",
        category="营商动态",
    ),
    "jw_beijing_gov__notice__1.html": Expected(
        title="李奕主任出席京港大学联盟2023年理事会暨主题论坛",
        publish_date="2023-11-30",
        publish_time=None,
        first="习近平总书记高度重视内地与香港交流，支持香港更好融入国家发展大局。为促进京港两地交流交往交融，2018年在北京市教委和香港教育局支持下，两地20所高校成立京港大学联盟。11月28日下午，京港大学联盟2023年理事会暨主题论坛在香港举办。北京市教委主任李奕、教育部港澳台事务办公室、中央人民政府驻香港特别行政区联络办公室教育科技部、香港特别行政区政府教育局等联盟支持单位和成员高校的70余名代表参会。会议审议通过北京邮电大学、北京第二外国语学院成为联盟新成员单位，实现联盟首次扩员。完成理事长单位换届工作，由清华大学、香港浸会大学出任第三届联盟联席理事长单位。",
        # The saved copy carries an unrelated biography inside the article container (README).
        last="宁泽为（宁泽伟）教师，北京人民大学国画高研班导师，英国皇家艺术研究院客座教授，研究方向：美术史论；多学科融合。出版著作《宁泽为中国现代美术作品全集》",
        chrome=("政务邮箱", "京ICP备", "分享"),
        publisher="北京市教育委员会",
        category="教育新闻",
    ),
    "jyt_ah_gov__notice__1.html": Expected(
        title="拨动心弦 守护心灵健康 肥西县举办心理健康教育主题演讲比赛",
        publish_date="2023-11-06",
        publish_time="00:00",  # shown as such: 发布时间：2023-11-06 00:00
        first="为普及心理健康知识，引导广大教师关注学生心理健康，推动广大教师深入研究并不断提高心理健康教育水平，日前，肥西县2023年教体系统心理健康教育主题演讲活动决赛在县青少年活动中心举行，来自全县各中小学幼儿园的32名教师参加比赛。",
        last="经过各位选手激烈的角逐，评委老师根据参赛选手的文稿内容、语言表达、演讲效果进行了综合评分。最终，合肥八中铭传高级中学的许文伟老师喜获中学组一等奖，丰乐镇中心学校的徐逸菲老师和上派镇丽景小学的丁禅娟老师喜获小学组一等奖。（特约通讯员：林兴勇）",
        chrome=("阅读次数", "皖ICP备", "扫一扫在手机打开当前页"),
        publisher="肥西县教育局",
        category="基础教育",
    ),
    "jyt_zj_gov__notice__1.html": Expected(
        title="全省教育系统师德师风建设专题培训班举办",
        publish_date="2024-10-21",
        publish_time=None,
        first="10月17日，浙江省教育系统师德师风建设专题培训班在浙江大学紫金港校区举办。本次培训聚焦学习贯彻全国教育大会精神，落实部省师德师风建设系列工作要求，旨在进一步推进师德师风长效机制建设。教育部教师工作司副司长韩劲红受邀出席并作《以教育家精神铸魂强师健全师德师风建设长效机制》专题授课，省教育厅副厅长汤筱疏作工作部署。",
        last="全省各设区市教育局分管负责人、职能处室负责人，各县（市、区）教育局分管负责人，各高校分管校领导和省教育厅相关处室负责人共计230人参加培训。",
        chrome=("索引号", "分享到", "字体"),
        publisher="省教育厅",  # 发布机构 of the xxgk block wins over 来源：新闻办
        category="图文报道",
        index_number="002482082/2024-00332",
        doc_date="2024-10-21",  # 生成日期; 文件编号 is shown empty
    ),
    "miit_gov__notice__1.html": Expected(
        title="北京通管局组织“三电”专项斗争大检查 确保国庆60周年电信设施安全运行",
        publish_date="2009-09-30",  # the visible 发布时间; PubDate says 2023-05-12 (republished)
        publish_time="10:53",
        first="为确保国庆60周年网络与信息安全，近日，北京市通信管理局组织检查小组，深入中国电信北京公司、中国移动北京公司和中国联通北京市分公司，进行打击盗窃破坏电力电信广播电视设施违法犯罪转型斗争工作大检查。检查小组听取了各公司的汇报，对机房、基站、通信管道、管井安全防盗设施等进行了严格的现场检查。",
        last="60周年国庆庆典活动日益临近，北京市地位特殊，责任重大。北京市通信管理局对各基础电信运营企业提出新的要求：一是要进一步提高认识，充分认识保护“三电”设施安全的重要性。二是保证“三电”设施安全防盗措施到位。要切实加强通信机房、通信管道、基站、管井等重点目标、重点部位的安全保卫工作，尤其60周年庆典活动期间重点保障地区、重要线路的安全保卫工作，杜绝安全隐患的发生。三是要严格落实责任制，将打击盗窃破坏电信设施违法犯罪专项斗争的责任落实到部门和个人。同时加大人力、物力、财力投入，提高安全技术防范能力，进一步推进物防、技防设施建设，堵塞漏洞，确保国庆60周年网络与信息安全。",
        chrome=("发布时间", "来源：北京通信管理局", "首页"),
        publisher="北京通信管理局",
        category="地方工作",
    ),
    "nfra_gov__notice__1.html": Expected(
        title="国家金融监督管理总局行政处罚信息公开表(金罚决字〔2024〕36号)",
        publish_date="2024-07-12",
        publish_time=None,
        first="行政处罚决定书文号 金罚决字〔2024〕36号",  # a table: one row, one paragraph
        last="作出处罚决定的日期 2024年7月8日",
        chrome=("无障碍浏览", "京ICP备", "文章类型", "发布时间"),
        publisher="保险和非银机构检查局",
        category="总局机关",
    ),
    "nfra_gov__notice__2.html": Expected(
        title="国家金融监督管理总局浙江监管局行政处罚信息公开表（浙金罚决字〔2024〕52号）",
        publish_date="2025-06-03",
        publish_time=None,
        first="序号 当事人名称 行政处罚决定书文号 主要违法违规行为 行政处罚内容 作出决定机关",
        last="2 陈首伟（时任中国太平洋财产保险股份有限公司温州分公司副总经理） 警告并罚款14万元",
        chrome=("无障碍浏览", "京ICP备", "文章类型", "发布时间"),
        publisher="浙江监管局",
        category="监管局本级",
    ),
    "shanghai_gov__notice__1.html": Expected(
        title="共论出版传媒业高质量发展 第十届上海民进出版传媒论坛在沪召开",
        publish_date="2023-08-19",
        publish_time=None,
        first="见习记者 王一凡",  # indented with EM SPACEs on the page
        last="全国人大常委会副委员长、民进中央主席蔡达峰出席开幕式并讲话，民进中央副主席、上海市委主委黄震出席开幕式并致辞，上海特宇盛源文化传媒有限公司执行董事席靖宣（原名席海彦）作闭幕讲话，民进中央副主席何志敏主持开幕式。",
        chrome=("字号", "来源：解放日报", "要闻动态"),
        publisher="解放日报",
        category="上海要闻",
    ),
    "shanxi_gov__notice__1.html": Expected(
        title="山西品牌丝路行（南美站）正式启动",
        publish_date="2019-09-18",
        publish_time="06:23",
        first="图为山西品牌丝路行（南美站）启动仪式。（刘通摄）",
        last="山西品牌丝路行主题为“走丝绸之路，促合作共赢”。南美站活动将先后在巴西、乌拉圭、阿根廷举行。（张巨峰）",
        chrome=("切換到繁體", "无障碍浏览", "热门搜索", "晋ICP备", "扫一扫在手机打开当前页面"),
        publisher="山西日报",
        category="山西要闻",
    ),
    "sxmu_edu__policy__1.html": Expected(
        title="中华人民共和国监察法",
        publish_date="2018-05-17",
        publish_time=None,
        first="中华人民共和国监察法",
        last="第六十九条 本法自公布之日起施行。《中华人民共和国行政监察法》同时废止。",
        chrome=("添加收藏夹", "浏览次数", "主办单位"),
        publisher=None,  # 来源: is shown empty
    ),
    "whly_hebei_gov__notice__1.html": Expected(
        title="青春心向党 启航新征程——河北青年优秀美术作品展启幕",
        publish_date="2022-05-07",  # bare date on the 来源 line
        publish_time="00:00",
        first="为喜迎中国共产党第二十次全国代表大会胜利召开，庆祝中国共青团建团100周年，切实增强“青春心向党”的感染力和凝聚力，提升广大青年的获得感、成就感，把庆祝建团百年激发的爱党爱国爱社会主义的热情传递下去，营造昂扬向上、团结奋进的浓厚氛围，河北省群众艺术馆（河北省非物质文化遗产保护中心自于2022年4月29日至5月13日在省馆（中心）二、三楼展厅举办“青春心向党 启航新征程”——河北优秀青年美术作品展，线上展览在河北公共文化云网上展厅同步展出。",
        last="关于专家组评委： 中国书画院理事、河北省文化名人书画院会员、河北省当代书画院会员田清江代表文献《传统书法艺术的传承与创新研究》",
        chrome=("设为首页", "Copyright", "来源："),
        publisher="河北省文化和旅游厅机关党委",
        category="基层党建动态",
    ),
    "whlyw_cq_gov__notice__1.html": Expected(
        title="重庆文旅之窗成功首秀举办第五届意大利全球设计日",
        publish_date="2021-07-13",
        publish_time=None,
        first="7月7日下午，重庆国际文旅之窗（重庆版权贸易基地）在“一带一路”商品展示交易中心项目场地成功首秀，顺利举办第五届意大利全球设计日（重庆站）活动。意大利驻重庆总领事毕岚祺出席活动并致辞，我委秦定波副主任，国际交流合作处、博物馆与社会文物处、重庆中国三峡博物馆等相关处室（单位）代表受邀出席。",
        last="据重庆国际文旅之窗负责人介绍，重庆国际文旅之窗为有效服务全市中心任务，聚焦“旅游、贸易、窗口”三大定位，着力发挥“出境旅游公共服务、国际文化旅游交流、国际文旅产品展销”三大功能，与重庆文化和旅游国际交流中心共同组成“重庆文化旅游国际服务平台”体系，致力于为各国驻华使领馆及各涉外友好合作机构在渝开展文化旅游国际交流活动提供“全链式”“一站式”的优质服务。",
        chrome=("关怀版", "渝ICP备", "您当前的位置"),
        publisher="国际交流合作处 重庆国际文旅之窗",  # written by document.write('…来源：…')
        category="工作动态",
    ),
    "wsjkw_sh_gov__notice__1.html": Expected(
        title="关于开展2024年“世界家庭医生日”主题宣传活动的通知",
        publish_date="2024-05-11",
        publish_time=None,
        first="各区卫生健康委:",
        last="2024年5月10日",
        chrome=("您现在所在的位置", "索取号", "发布机构"),
        publisher="上海市卫生健康委员会",
        category="基层卫生",
        doc_number="沪卫基层〔2024〕5号",
        index_number="076478684Q/2024-00112",  # 索取号
    ),
    "xa_gov__notice__1.html": Expected(
        title="2024年鄠邑区第十一届国家网络安全宣传周启动",
        publish_date="2024-09-10",
        publish_time="09:24",
        first="9月9日，由区委网信委、空军西安飞行学院主办，区委办、区委宣传部、区委网信办、区教育局、公安鄠邑分局、区科技工信局、区数据审批局、区总工会、团区委、区妇联等单位联合承办的2024年鄠邑区第十一届国家网络安全宣传周启动仪式暨“网络安全进军营”活动在空军西安飞行学院举行。市委网信办副主任郑炜，鄠邑区领导赵海峰、黄会云、郑少华、陈鹏飞、刘小莹，陕西国防工业职业技术学院党委副书记杨聪及空军西安飞行学院相关领导，各承办单位、各街道（景区管理局）、各部门相关领导，官兵代表、各行业代表共700余人参加活动。",
        last="图文来源：区委网信办、区融媒体中心",
        chrome=("长者专版", "陕ICP备", "浏览次数", "打印"),
        publisher="鄠邑区政府办",
        category="区县热点",
    ),
    "zyyfy_hospital__notice__1.html": Expected(
        title="【不忘初心 牢记使命】我院医技药剂党支部举办2019年中药、药学理论知识与专业技能大赛",
        publish_date="2019-10-31",
        publish_time="23:00",
        first="本站讯（职工通讯员 李琴雯 刘会）为深入推进党建与业务工作紧密结合，弘扬我院中药特色，培养优秀的药学技能型人才，10月30日，我院医技药剂党支部联合药剂科举办了2019年中药、药学理论知识与专业技能大赛，全体中药、药学专业人员参赛。比赛邀请了湖南中医药大学附属第一医院主任药师张裕民应邀担任大赛评委，我院党委副书记、纪委书记郭建农，副院长吴玉华、胥新元出席比赛并进行现场指导，医技药剂党支部书记吴劲松担任评委。比赛由药剂科主任田其学主持。",
        last="医技药剂党支部、药剂科供稿 摄影/张艳 编辑/苏芳",
        chrome=("转繁体版", "浏览：", "医院概况"),
        publisher="本站原创",
        author="医技药剂党支部",
    ),
    # -- budget pages and the Guangdong site group (NFCMS themes, gkmlpt) -----------------------
    "zhanjiang_gov__budget__1.html": Expected(
        title="湛江市2025年预算执行情况和2026年预算草案的报告",
        publish_date="2026-03-19",
        publish_time="15:52",  # 时间：2026-03-19 15:52:22; PubDate has the day only
        first="各位代表：",  # after an attachment link with empty text and an empty paragraph
        last="2026年湛江市本级政府预算.pdf",  # the container ends with an attachment link
        chrome=("【打印本页】", "【关闭窗口】", "相关文章", "分享到", "网站标识码"),
        publisher="本网",
        category="财政预算",
        attachments=(
            # the first link's text is empty: its name is in alt
            ("2026年湛江市本级政府预算.pdf", f"{ZJ_FILES}/273/273905/2159807.pdf"),
            ("2026年湛江市本级政府预算.pdf", f"{ZJ_FILES}/275/275916/2159807.pdf"),
        ),
    ),
    "jiangmen_gov__budget__1.html": Expected(
        title="江门市人民政府关于2025年江门市本级财政预算调整方案的报告",
        publish_date="2025-08-19",
        publish_time="09:24",
        first="——2025年7月30日在江门市第十六届人民代表大会",
        last="4.2025年江门市本级政府性基金预算调整情况表",
        chrome=("扫一扫在手机打开当前页", "打印页面", "关闭页面", "附件下载", "分享到"),
        publisher="江门市财政局",
        category="市级政府预算",
        attachments=tuple(
            (f"附件{n}：2025年江门市{what}.xlsx", f"{JM_FILES}/{aid}/3349518.xlsx")
            for n, what, aid in (
                (1, "地方政府新增债务限额分配计划表", 349479),
                (2, "再融资债券发行规模上限分配计划表", 349480),
                (3, "本级一般公共预算调整情况表", 349481),
                (4, "本级政府性基金预算调整情况表", 349482),
            )
        ),
    ),
    "czj_putian_gov__budget__1.html": Expected(
        title="莆田市2025年12月预算执行情况",
        publish_date="2026-01-16",
        publish_time="15:04",  # 发布时间：2026年01月16日  15:04
        first="一、一般公共财政收支预算执行情况",
        last="12月止，全市政府性基金收入109.19亿元，完成预算的65.2%，同比减收1.22亿元，下降1.1%。全市政府性基金支出302.21亿元，同比增支62.48亿元，增长26.1%。",
        chrome=("【打印】", "【关闭】", "附件下载", "相关链接", "闽ICP备"),
        publisher="莆田市财政局",  # no visible 来源: ContentSource
        category="财政预决算",
    ),
    "api/gkmlpt_content__zhaoqing.html": Expected(
        title="金宸农牧科技（四会）有限公司四会富硒蛋鸡产业园项目受理公告",
        publish_date=None,  # the reduced page keeps no date
        publish_time=None,
        first="受理日期 项目名称 建设单位 建设地点 环评单位 环评文件类型 环评文件",  # a table row
        last="报告书（公开版）.pdf",
        chrome=(),  # reduced to its window._CONFIG: no page chrome left
        publisher="肇庆市生态环境局",  # DETAIL.publisher
        category="受理公告",  # DETAIL.classify_main_name
        attachments=(
            (
                "报告书（公开版）.pdf",
                "https://www.zhaoqing.gov.cn/zqhjj/attachment/0/306/306724/3255421.pdf",
            ),
        ),
    ),
}
LISTS = ("ccgp_gov__list__1.html", "ggzy_gov__list__1.html")  # crawler inputs, no article

# title, publish date (None: the page shows none), announcement type
PROCUREMENT: dict[str, tuple[str, str | None, str]] = {
    "ccgp_gov__procurement_award__1.html": (
        "芷江侗族自治县公路建设养护中心、芷江侗族自治县扶贫开发服务有限责任公司贫困县乡村基础设施建设二期项目安防工程十标成交公告",
        "2021-06-10",
        "award",
    ),
    "ccgp_gov__procurement_award__2.html": (
        "深圳市龙华科技实验高级中学空调采购中标（成交）结果公告",
        "2025-05-27",
        "award",
    ),
    "ccgp_hebei__procurement_award__1.html": (
        "2021年村级信息资源共享支中心电脑采购项目中标公告",
        "2021-10-11",
        "award",
    ),
    "ccgp_gov__procurement_tender__1.html": (
        "中国科学院金属研究所球差原位透射电镜采购项目单一来源采购公告",
        "2026-07-03",
        "tender",  # a single-source pre-award notice
    ),
    "ggzy_gov__procurement_contract__1.html": (
        "德清县体育中心（县少年儿童体育学校）的少体校学生就学、训练、参赛等用车服务采购项目合同",
        "2026-03-17",  # 签署时间 on the 信息来源 line; the platform lists the contract on that day
        "contract",
    ),
    "ggzy_gov__procurement_contract__2.html": (
        "德清县体育中心（县少年儿童体育学校）的少体校学生就学、训练、参赛等用车服务采购项目合同",
        None,  # the project page dates its tabs' items only
        "contract",
    ),
    "jsggzy__procurement_tender__1.html": (
        "江苏省苏州实验中学金山路校区改造工程",  # h2.ewb-trade-h; ArticleTitle is empty
        "2026-07-06",
        "tender",  # by its column 招标公告/资审公告: the heading is the project's name
    ),
}


def page_url(name: str) -> str:
    """The page's URL: recorded in the manifest, else made from its site's host."""
    entry = realpage_manifest().get(name, {})
    if entry.get("original_url"):
        return entry["original_url"]
    host = (entry.get("site") or "example.invalid").split()[0]
    return f"https://{host}/{name}"


@cache
def record(name: str) -> dict[str, Any]:
    """Each page is extracted once per test session."""
    return extract_json(realpage(name), page_url(name))


def paragraphs(name: str) -> list[str]:
    return (record(name)["body_text"] or "").split("\n")


def test_every_page_has_expectations() -> None:
    if not REALPAGES.is_dir():
        pytest.skip(f"real pages not found at {REALPAGES}; set ZWGK_REALPAGES")
    names = {
        p.name
        for kind in ("notice", "policy", "budget")
        for p in REALPAGES.glob(f"*__{kind}__*.html")
    }
    names |= {f"api/{p.name}" for p in REALPAGES.glob("api/*.html")}
    assert names == set(NOTICES)
    procurement = {p.name for p in REALPAGES.glob("*__procurement_*.html")}
    assert procurement == set(PROCUREMENT)
    pages = {p.name for p in REALPAGES.glob("*.html")}
    assert pages == {n for n in NOTICES if "/" not in n} | set(PROCUREMENT) | set(LISTS)


@pytest.mark.parametrize("name", sorted(NOTICES))
def test_title(name: str) -> None:
    assert record(name)["title"] == NOTICES[name].title


@pytest.mark.parametrize("name", sorted(NOTICES))
def test_publish_date(name: str) -> None:
    assert record(name)["publish_date"] == NOTICES[name].publish_date


@pytest.mark.parametrize(
    "name", [n for n in sorted(NOTICES) if NOTICES[n].publish_time is not UNSET]
)
def test_publish_time(name: str) -> None:
    assert record(name)["publish_time"] == NOTICES[name].publish_time


@pytest.mark.parametrize("name", sorted(NOTICES))
def test_body_first_paragraph(name: str) -> None:
    assert paragraphs(name)[0] == NOTICES[name].first


@pytest.mark.parametrize("name", sorted(NOTICES))
def test_body_last_paragraph(name: str) -> None:
    assert paragraphs(name)[-1] == NOTICES[name].last


@pytest.mark.parametrize("name", sorted(NOTICES))
def test_body_leaves_out_page_chrome(name: str) -> None:
    shown = decode_html(realpage(name)).text
    body = record(name)["body_text"]
    for text in NOTICES[name].chrome:
        assert text in shown, f"{text!r} is not on the page: the check would prove nothing"
        assert text not in body


@pytest.mark.parametrize("name", [n for n in sorted(NOTICES) if NOTICES[n].publisher is not UNSET])
def test_publisher(name: str) -> None:
    assert record(name)["publisher"] == NOTICES[name].publisher


@pytest.mark.parametrize("name", [n for n in sorted(NOTICES) if NOTICES[n].category is not UNSET])
def test_category(name: str) -> None:
    assert record(name)["category"] == NOTICES[name].category


@pytest.mark.parametrize("name", sorted(NOTICES))
@pytest.mark.parametrize("field", ["author", "doc_number", "index_number", "doc_date"])
def test_metadata_field(name: str, field: str) -> None:
    assert record(name)[field] == getattr(NOTICES[name], field)


@pytest.mark.parametrize("name", sorted(NOTICES))
def test_attachments(name: str) -> None:
    shown = [(a["name"], a["url"]) for a in record(name)["attachments"]]
    assert shown == list(NOTICES[name].attachments)


@pytest.mark.parametrize("name", LISTS)
def test_list_page_has_no_article(name: str) -> None:
    """No article container: neither the footer (ccgp's 主办单位 … 版权所有) nor a list is a body."""
    assert record(name)["body_text"] is None


@pytest.mark.parametrize("name", sorted(NOTICES))
def test_notice_record_shape(name: str) -> None:
    result = record(name)
    assert tuple(result) == RECORD_FIELDS
    assert result["kind"] == "notice"
    assert result["procurement"] is None
    assert result["charset"] == "utf-8"
    assert result["decode_errors"] == 0


def test_hanweb_metadata_block() -> None:
    result = record("jyt_zj_gov__notice__1.html")
    assert result["index_number"] == "002482082/2024-00332"
    assert result["doc_date"] == "2024-10-21"  # 生成日期
    assert result["doc_number"] is None  # 文件编号 is shown empty


def test_header_row_metadata_table() -> None:
    result = record("wsjkw_sh_gov__notice__1.html")
    assert result["index_number"] == "076478684Q/2024-00112"  # 索取号
    assert result["doc_number"] == "沪卫基层〔2024〕5号"
    assert "索取号" not in result["body_text"]  # the metadata table is not body text


def test_author_from_the_info_line() -> None:
    assert record("zyyfy_hospital__notice__1.html")["author"] == "医技药剂党支部"


@pytest.mark.parametrize("name", sorted(PROCUREMENT))
def test_procurement_title(name: str) -> None:
    assert record(name)["title"] == PROCUREMENT[name][0]


@pytest.mark.parametrize("name", sorted(PROCUREMENT))
def test_procurement_publish_date(name: str) -> None:
    assert record(name)["publish_date"] == PROCUREMENT[name][1]


@pytest.mark.parametrize("name", sorted(PROCUREMENT))
def test_procurement_kind(name: str) -> None:
    assert record(name)["kind"] == "procurement"
    assert record(name)["procurement"]["announcement_type"] == PROCUREMENT[name][2]


@pytest.mark.parametrize("name", sorted(PROCUREMENT))
def test_procurement_kind_without_url(name: str) -> None:
    """The templates are recognized from their markup alone (saved pages have no URL)."""
    assert extract_json(realpage(name), "file:///saved.html")["kind"] == "procurement"


def test_procurement_attachment() -> None:
    assert record("ccgp_hebei__procurement_award__1.html")["attachments"] == [
        {
            "name": "2021年村级信息资源共享支中心电脑采购项目",
            "url": "http://www.ccgp-hebei.gov.cn/BidWinAnncFiles/4b211afc-3a82-4fce-8ffb-11126a95def1.docx",
        }
    ]
