#!/usr/bin/env python3
"""Generate seeded, fictional Chinese applications to the PyImageSearch "Technical Project
Manager" posting (June 2020), shaped like the export of a Chinese online form.

Regenerate the committed sample (120 applicants, seed 20200608) from the repository root:

    python sample_data/generate_zh.py

It writes, into --out (default: the folder this script is in):

    applicants_zh.csv     UTF-8 with BOM and CRLF record ends (as Chinese form services export
                          for Excel), Simplified-Chinese column headers, multi-line answers
                          quoted, 提交时间 as "2020-06-24 22:41:07" in Beijing time (no zone)
    answer_key_zh.json    the planted strong and weak applicants by 编号 (with the script and
                          region each wrote in), and the other planted traps, for tests

The answers mix Simplified Chinese (mainland), Traditional Chinese with Taiwan wording
(專案管理, 軟體, 人工智慧, 時程) and Traditional Chinese with Hong Kong wording (項目管理, 軟件,
some Cantonese and English code-mixing); Latin tool and method names inside Chinese text with
no spaces (用Jira管理敏捷迭代); full-width Latin letters (ＰＭＰ, Ｊｉｒａ); years written as
3, 三年, 两年半, 5年以上, 十年, 約6年, 无; and negated mentions (没有用过Jira, 沒有PMP證書).
Everything comes from --seed and the hand-written sentence pools below; the same arguments
give byte-identical files. Standard library only. All people, e-mail addresses and phone
numbers are invented.
"""

import argparse
import csv
import json
import random
import sys
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

SEED = 20200608
ROWS = 120
HEADERS = (
    "编号",
    "提交时间",
    "姓",
    "名",
    "电子邮件",
    "电话",
    "所在城市",
    "最高学历",
    "专业",
    "项目管理经验年数",
    "项目管理证书",
    "使用过的项目管理工具",
    "是否管理或指导过团队",
    "能否在七月初入职",
    "为什么你适合这个职位",
    "讲讲你从构思到上线主导的一个项目",
)

# The posting went up on 2020-06-08 around 9 AM US Eastern = 21:00 Beijing time; applications
# were accepted until 2020-06-26 23:59 US Eastern = 2020-06-27 11:59 Beijing time. The form
# service writes Beijing wall-clock time.
OPEN_AT = datetime(2020, 6, 8, 21, 0)
DEADLINE = datetime(2020, 6, 27, 11, 59, 59)
CLOSED_AT = datetime(2020, 6, 30, 18, 0)

STRONG, GOOD, MID, WEAK = "strong", "good", "mid", "weak"
REGIONS = ("cn", "tw", "hk")  # cn: Simplified; tw, hk: Traditional
REGION_WEIGHTS = (0.6, 0.25, 0.15)


def _bank(text: str) -> tuple[str, ...]:
    """One entry per line; a line indented by two spaces continues the entry above it."""
    items: list[str] = []
    for line in text.strip("\n").splitlines():
        if not line.strip():
            continue
        if line.startswith("  "):
            items[-1] += line.strip()
        else:
            items.append(line.strip())
    return tuple(items)


# --------------------------------------------------------------------------- people

# (written form, romanisation used in e-mail addresses)
SURNAMES = {
    "cn": (
        ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
        ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
        ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("林", "lin"),
        ("高", "gao"), ("罗", "luo"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
        ("唐", "tang"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"), ("彭", "peng"),
        ("曾", "zeng"), ("萧", "xiao"), ("叶", "ye"), ("苏", "su"), ("蒋", "jiang"), ("欧阳", "ouyang"),
        ("司马", "sima"), ("上官", "shangguan"),
    ),
    "tw": (
        ("陳", "chen"), ("林", "lin"), ("黃", "huang"), ("張", "chang"), ("李", "lee"), ("王", "wang"),
        ("吳", "wu"), ("劉", "liu"), ("蔡", "tsai"), ("楊", "yang"), ("許", "hsu"), ("鄭", "cheng"),
        ("謝", "hsieh"), ("郭", "kuo"), ("洪", "hung"), ("曾", "tseng"), ("邱", "chiu"), ("廖", "liao"),
        ("賴", "lai"), ("周", "chou"), ("簡", "chien"), ("詹", "chan"), ("游", "yu"), ("莊", "chuang"),
    ),
    "hk": (
        ("陳", "chan"), ("黃", "wong"), ("李", "lee"), ("張", "cheung"), ("何", "ho"), ("梁", "leung"),
        ("林", "lam"), ("周", "chow"), ("吳", "ng"), ("劉", "lau"), ("鄭", "cheng"), ("馮", "fung"),
        ("麥", "mak"), ("葉", "yip"),
    ),
}
GIVEN_NAMES = {
    "cn": (
        ("伟", "wei"), ("静", "jing"), ("磊", "lei"), ("敏", "min"), ("婷婷", "tingting"),
        ("子涵", "zihan"), ("浩然", "haoran"), ("欣怡", "xinyi"), ("志强", "zhiqiang"),
        ("晓明", "xiaoming"), ("丽娜", "lina"), ("俊杰", "junjie"), ("思远", "siyuan"),
        ("雨萱", "yuxuan"), ("建华", "jianhua"), ("文博", "wenbo"), ("佳琪", "jiaqi"),
        ("明轩", "mingxuan"), ("海燕", "haiyan"), ("鹏", "peng"), ("超", "chao"), ("雪", "xue"),
        ("宇航", "yuhang"), ("梦琪", "mengqi"), ("国强", "guoqiang"), ("秀英", "xiuying"),
        ("一鸣", "yiming"), ("若曦", "ruoxi"), ("天宇", "tianyu"), ("嘉怡", "jiayi"),
    ),
    "tw": (
        ("怡君", "yichun"), ("志明", "chihming"), ("雅婷", "yating"), ("家豪", "chiahao"),
        ("宗翰", "tsunghan"), ("佩珊", "peishan"), ("冠宇", "kuanyu"), ("淑芬", "shufen"),
        ("俊傑", "chunchieh"), ("詩涵", "shihhan"), ("建宏", "chienhung"), ("欣妤", "hsinyu"),
        ("承恩", "chengen"), ("品妍", "pinyen"), ("柏翰", "pohan"), ("郁婷", "yuting"),
    ),
    "hk": (
        ("嘉欣", "kayan"), ("志偉", "chiwai"), ("詠詩", "wingsze"), ("家樂", "kalok"),
        ("凱琳", "hoilam"), ("俊傑", "chunkit"), ("美玲", "meiling"), ("浩賢", "hoyin"),
        ("穎琳", "winglam"), ("子健", "tszkin"),
    ),
}
CITIES = {
    "cn": ("北京", "上海", "深圳", "杭州", "广州", "成都", "南京", "武汉", "西安", "苏州", "合肥", "厦门",
           "北京市海淀区", "上海市浦东新区", "重庆"),
    "tw": ("臺北市", "新北市", "新竹市", "臺中市", "高雄市", "桃園市", "台北"),
    "hk": ("香港", "九龍", "新界沙田", "香港島"),
}
EMAIL_DOMAINS = {
    "cn": ("qq.com", "163.com", "126.com", "gmail.com", "outlook.com", "foxmail.com"),
    "tw": ("gmail.com", "yahoo.com.tw", "hotmail.com", "outlook.com"),
    "hk": ("gmail.com", "yahoo.com.hk", "netvigator.com", "outlook.com"),
}
PHONES = {
    "cn": ("+86 138 #### ####", "139########", "+86-186-####-####", "137 #### ####"),
    "tw": ("09##-###-###", "+886 9## ### ###", "09########"),
    "hk": ("+852 9### ####", "6### ####", "+852-5###-####"),
}

# --------------------------------------------------------------------------- form answers

DEGREES = {
    # (answer, level) per region; the level decides who gets which.
    "cn": (("高中/中专", "high"), ("大专", "associate"), ("本科", "bachelor"), ("硕士研究生", "master"),
           ("博士研究生", "phd"), ("本科（统招）", "bachelor"), ("硕士", "master")),
    "tw": (("高中職", "high"), ("專科", "associate"), ("大學", "bachelor"), ("學士", "bachelor"),
           ("碩士", "master"), ("博士", "phd")),
    "hk": (("中學", "high"), ("高級文憑", "associate"), ("副學士", "associate"), ("學士", "bachelor"),
           ("碩士", "master"), ("博士", "phd")),
}
FIELDS_TECH = {
    "cn": ("计算机科学与技术", "软件工程", "电子信息工程", "自动化", "通信工程", "信息管理与信息系统",
           "数据科学与大数据技术", "工业工程", "电气工程及其自动化"),
    "tw": ("資訊工程學系", "電機工程學系", "資訊管理學系", "工業工程與管理學系", "電子工程系", "資訊科學"),
    "hk": ("計算機科學", "電子工程", "資訊系統", "電腦工程", "工業工程"),
}
FIELDS_PM_MASTER = {
    "cn": ("工程管理（MEM）", "项目管理", "计算机技术", "软件工程", "管理科学与工程"),
    "tw": ("資訊管理研究所", "工業工程與管理", "資訊工程研究所", "科技管理研究所"),
    "hk": ("項目管理", "資訊科技", "工程管理"),
}
FIELDS_OTHER = {
    "cn": ("工商管理", "市场营销", "英语", "会计学", "汉语言文学", "新闻学", "物流管理", "国际经济与贸易",
           "心理学", "人力资源管理", "电子商务", "日语", "行政管理"),
    "tw": ("企業管理學系", "外國語文學系", "會計學系", "大眾傳播學系", "國際貿易學系", "心理學系", "中國文學系"),
    "hk": ("工商管理", "英國文學", "會計", "市場學", "社會科學"),
}

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int, traditional: bool = False) -> str:
    """1-19 in Chinese numerals, 两/兩 for 2 as said before a measure word."""
    if n == 2:
        return "兩" if traditional else "两"
    if n < 10:
        return CN_DIGITS[n]
    if n == 10:
        return "十"
    return "十" + CN_DIGITS[n - 10]


def years_answer(rng: random.Random, years: float, region: str) -> str:
    """The years-of-experience answer as people type it."""
    trad = region != "cn"
    if years == 0:
        return rng.choice(("無", "沒有", "0", "無經驗") if trad else ("无", "没有", "0", "暂无", "无经验"))
    if years == 0.5:
        return rng.choice(("不到一年", "半年", "6個月") if trad else ("不到一年", "半年", "6个月"))
    if years == 2.5:
        return "兩年半" if trad else rng.choice(("两年半", "2.5年", "2年半"))
    n = int(years)
    about = "約" if trad else "约"
    forms = [str(n), f"{n}年", cn_number(n, trad) + "年", f"{n}年以上", f"{about}{n}年", f"{n}+"]
    weights = [20, 30, 25, 10, 8, 7]
    if n == 10:
        forms.append("十年")
        weights.append(30)
    return rng.choices(forms, weights)[0]


def years_phrase(rng: random.Random, years: float, region: str) -> str:
    """How many years, as written inside a sentence ("八年", "8年", "两年半")."""
    trad = region != "cn"
    if years == 2.5:
        return "兩年半" if trad else "两年半"
    if years < 1:
        return "不到一年"
    n = int(years)
    return rng.choice((cn_number(n, trad) + "年", f"{n}年"))


CERTS = {
    STRONG: {
        "cn": ("PMP", "PMP、PRINCE2", "PMP，PMI-ACP", "PMP（2017年取得）", "PMP, CSM",
               "PMP；软考高级（信息系统项目管理师）", "PMP、NPDP"),
        "tw": ("PMP", "PMP、PMI-ACP", "PMP證照（2016年取得）", "PMP, PRINCE2 Foundation"),
        "hk": ("PMP, PRINCE2 Practitioner", "PMP", "PMP、CSM"),
    },
    GOOD: {
        "cn": ("CSM", "PMI-ACP", "软考中级（系统集成项目管理工程师）", "CAPM", "Google项目管理证书", "PMP",
               "IPMP C级", "软考高级（信息系统项目管理师）"),
        "tw": ("CSM", "CAPM", "PMI-ACP", "Google專案管理證書", "PMP"),
        "hk": ("PRINCE2 Foundation", "CSM", "CAPM"),
    },
    MID: {
        "cn": ("无", "暂无", "没有", "CSM", "正在备考PMP", "-", "无证书", "NPDP", ""),
        "tw": ("無", "尚未取得", "沒有", "準備考PMP中", ""),
        "hk": ("無", "冇", "ITIL Foundation", ""),
    },
    WEAK: {
        "cn": ("无", "没有", "没有PMP证书", "不知道是什么", "没有任何证书"),
        "tw": ("無", "沒有PMP證書", "沒有"),
        "hk": ("冇", "無"),
    },
}
TOOLS = {
    STRONG: {
        "cn": ("Jira, Confluence, 禅道", "Jira、Teambition、Microsoft Project", "Jira, Asana, Trello",
               "Jira、TAPD、飞书项目", "Jira；Notion；MS Project", "Jira, Worktile, Excel"),
        "tw": ("Jira、Asana、Trello", "Jira, Microsoft Project, Confluence", "Jira、ClickUp"),
        "hk": ("Jira, MS Project, Trello", "Jira, Asana"),
    },
    GOOD: {
        "cn": ("Trello", "Teambition", "禅道", "飞书", "Asana", "Worktile、Excel", "Jira", "TAPD",
               "Microsoft Project", "PingCode"),
        "tw": ("Trello", "Asana", "Jira", "Monday.com", "Notion、Trello"),
        "hk": ("Trello", "MS Project", "Jira"),
    },
    MID: {
        "cn": ("Excel", "钉钉", "企业微信", "Trello", "无", "Notion", "Excel、Project", "飞书", "用过一点Jira"),
        "tw": ("Excel", "Trello", "無", "Notion", "Google試算表"),
        "hk": ("Excel", "Trello", "冇"),
    },
    WEAK: {
        "cn": ("没有用过Jira", "无", "Excel", "不清楚", "微信群", "没用过"),
        "tw": ("沒用過", "無", "Excel", "沒有用過Jira"),
        "hk": ("冇用過", "Excel"),
    },
}

# --------------------------------------------------------------------------- letters (Simplified)

CN = {
    "open": _bank("""
我在PyImageSearch的博客上看到这次招聘技术项目经理，觉得这个岗位和我的经历非常契合。
我是PyImageSearch的老读者了，从OpenCV的入门教程一路跟到深度学习的课程，这次看到招聘项目经理，马上就来投递了。
您好！我想应聘技术项目经理这个职位，下面简单介绍一下我为什么适合。
看到招聘启事里写的“端到端项目开发流程的专家监督”，我的第一反应是：这正是我过去几年每天在做的事。
朋友把这个职位转给我，说简直是为我量身定做的，我认真读了招聘启事，觉得确实如此。
我一直在找一个能把项目管理经验和对计算机视觉的兴趣结合起来的机会，这个职位正好是。
您好，我叫{name}，目前是一名技术项目经理，想申请贵司的这个职位。
"""),
    "background": _bank("""
我有{yp}的项目管理经验，目前在{company}担任技术项目经理，负责{domain}方向的产品交付。
过去{yp}我一直在{domain}行业做项目管理，先在{company2}做项目助理，后来在{company}独立负责整条产品线的交付。
我本科学的是{major}，毕业后做了两年开发，之后转型做项目经理，到现在已经有{yp}了。
现在我在{company}带一个{team}人的研发团队，团队里有算法、后端、前端和测试，分布在三个城市。
我在{company}工作了{yp}，从项目协调员做到高级项目经理，最多的时候同时管理五个并行的项目。
"""),
    "methods": _bank("""
我们团队采用Scrum，两周一个迭代，每个迭代结束都会开回顾会，把问题和改进项落实到下一个迭代。
对于需求变化快的项目，我用敏捷的方式推进；涉及硬件和采购的部分，则用瀑布模型和甘特图来控制关键路径。
每个项目启动时，我都会先做WBS（工作分解结构），把交付物拆到一到三天能完成的粒度，再估算工期。
我系统学习过PMBOK，但不会生搬硬套，而是根据团队规模和项目特点选择合适的方法。
运维和内容类的工作我更喜欢用看板管理，限制在制品数量，让流动效率一目了然。
我给每个项目都建立了风险登记册，每周例会上更新一次，每条风险都有负责人和应对措施。
在上一家公司我把团队从纯瀑布转到了Scrum，迭代速度稳定之后，交付周期缩短了三分之一。
我习惯用RACI责任矩阵明确每个人的角色，避免“大家都负责、其实没人负责”的情况。
用Jira管理敏捷迭代对我来说是日常，Sprint规划、每日站会、评审和回顾会我都主持过上百次。
"""),
    "tools": _bank("""
我们用Jira管理需求和缺陷，用Confluence沉淀需求文档和会议纪要。
团队原来用Excel排期，我主导引入了Jira，配置了工作流和看板，三个月内全员切换完毕。
国内的项目我用过禅道和TAPD，和海外团队合作时用Jira和Asana，切换起来没有障碍。
我负责过公司项目管理软件的选型，对比了Jira、Teambition和飞书项目，最后根据团队规模和预算做了决定。
每个项目的甘特图我都用Microsoft Project维护，关键路径上的任务一旦延期就会马上提醒相关负责人。
"""),
    "mentor": _bank("""
我很重视带新人，给每位新入职的同事安排导师，并制定了为期一个月的入职培训计划。
这几年我辅导过六位初级项目经理，其中两位已经能独立负责项目，一位晋升为项目组长。
我认为人才培养是管理者最重要的工作之一，每个月都会和团队成员做一对一，聊职业发展和成长路径。
在公司里我是“传帮带”计划的导师，手把手教新人写项目计划、开站会、做风险评估。
"""),
    "org": _bank("""
我的时间管理能力比较强，习惯每天早上先排好优先级，再处理邮件和消息。
我把自己常用的做法整理成了一份项目经理操作手册，包括立项检查清单和上线检查清单，现在整个部门都在用。
同时推进多个项目时，我会按照轻重缓急统一排期，确保关键的截止日期不会冲突。
我做事很有条理，所有待办事项和截止日期都放在一个看得见的地方，团队随时可以了解最新状态。
"""),
    "account": _bank("""
我有很强的责任感，答应的事情一定会负责到底，项目出了问题我首先会从自己身上找原因。
我认为项目经理要有主人翁意识，对结果负责，而不只是在各方之间传话。
在团队里大家都知道，交给我的事情不用催，我会有担当地推进到最后一公里。
"""),
    "problem": _bank("""
遇到线上事故，我会组织大家先止损，再做根因分析，最后把改进措施写进流程。
我擅长解决问题，尤其是那些跨团队、没有明确负责人的“灰色地带”问题。
我的逻辑思维和数据分析能力比较强，做决策之前会先把数据摆出来，而不是凭感觉。
每次项目结束后我都会组织事后复盘，把经验教训整理成文档，避免同样的坑再踩一次。
"""),
    "lead": _bank("""
我目前带领一个{team}人的团队，包括算法工程师、后端、前端和测试。
我做过多年技术负责人，擅长跨部门协作，能让产品、研发、市场和客服朝同一个目标使劲。
我的领导风格偏教练型，平时给团队足够的空间，在关键节点上果断拍板。
我管理过二十多人的跨职能团队，下属中既有资深专家，也有刚毕业的新人。
"""),
    "risk": _bank("""
我习惯在项目早期就识别风险，提前准备预案，而不是等问题爆发了再去救火。
每次迭代规划时，我都会和大家一起梳理可能的阻塞和瓶颈，能提前解决的绝不拖到最后。
对于依赖外部供应商的任务，我一般会准备备选方案，一旦对方延期就能马上切换。
发现超出我权限的问题时，我会第一时间升级给相关负责人，并附上我的分析和建议。
我比较擅长预判，上一个项目在数据标注环节预见到了人手不足，提前两周就协调好了外包资源。
"""),
    "delivery": _bank("""
我负责项目从立项到上线的全流程，包括需求范围、预算、时间表和验收标准。
我会把项目计划拆成清晰的里程碑和交付物，每个里程碑都有明确的日期和负责人。
过去三年我负责的项目都按时上线，预算偏差控制在百分之五以内。
我擅长做端到端的项目计划，把公司的业务目标一步步落到可交付成果上。
范围蔓延是很多项目失败的原因，所以我会严格管理需求变更，每一次变更都评估对工期和成本的影响。
"""),
    "report": _bank("""
我每周给干系人发一份项目周报，包括进度、风险、下周计划和需要决策的事项。
我很重视沟通，会根据不同的对象调整汇报方式：对老板讲结果和风险，对开发讲细节和优先级。
我搭建过项目仪表盘，关键指标一目了然，管理层不需要开会也能随时了解进度。
我坚持每天十五分钟的站会和每周一次的例会，会议都有明确的议程和纪要。
"""),
    "process": _bank("""
我喜欢发现流程中的问题并加以改进，上一家公司的发版流程就是我推动优化的，发版时间从半天缩短到半小时。
我为团队建立了需求评审、代码评审和上线审批三套制度，并配套了模板，新人也能很快上手。
我会定期更新团队的知识库和项目文档，确保任何人离开都不会带走关键信息。
很多重复性的工作我都推动做成了自动化，比如测试报告和周报数据的生成。
"""),
    "motive": _bank("""
我是一个有上进心、自驱力很强的人，工作之余一直在学习新的东西。
我为自己的工作感到自豪，只要是分配给我的任务，我都会坚持到底，直到真正完成。
我习惯独立工作，远程办公对我来说完全没有问题，过去两年我一直在远程管理团队。
"""),
    "cvai": _bank("""
我对计算机视觉和深度学习非常感兴趣，业余时间用Python和OpenCV做过几个小项目，比如车牌识别和人脸检测。
我之前负责的项目就是一个基于深度学习的图像识别系统，和算法团队合作得很顺利，能听懂他们在说什么。
我希望能在人工智能领域做出一些影响，让更多人通过PyImageSearch的教程学会计算机视觉。
我自学过机器学习的公开课，也跟着PyImageSearch的教程用Keras训练过模型，
  虽然不是专业的算法工程师，但和技术团队沟通没有障碍。
"""),
    "close": _bank("""
非常期待有机会和您进一步交流，谢谢！
如果能加入PyImageSearch，我有信心让内容更新和新课程的开发更有节奏、更可预期。
我可以在七月初入职，全职或兼职都可以。
感谢您花时间阅读我的申请。
期待您的回复。
"""),
    "generic": _bank("""
我性格开朗，学习能力强，能够很快适应新的环境。
我做事认真细致，和同事相处得很好。
我英语读写没有问题，可以和海外团队用英文交流。
虽然我的项目管理经验不算多，但我一直在往这个方向努力。
我目前在一家传统企业做IT相关的工作，希望能转到更有技术含量的领域。
平时我也会看一些技术博客，对新技术比较敏感。
我参与过公司几个系统的上线，主要负责协调和跟进进度。
我在读在职研究生，方向是工程管理，希望能把学到的知识用到实际工作中。
我之前做过产品助理，经常需要和开发、设计一起讨论需求。
我没有PMP证书，但是正在备考，预计今年下半年考试。
我用过Jira，不过主要是提bug和看任务，没有做过配置。
我觉得自己的沟通能力和执行力都不错，领导交代的事情都能完成。
我对PyImageSearch的课程很感兴趣，买过一本电子书。
"""),
    "weak": _bank("""
希望能给我一个机会。
我需要一份工作，什么都可以学。
我没有做过项目管理，但是我学习能力强。
我是应届毕业生，没有项目经验。
本人踏实肯干，吃苦耐劳。
听说这个职位可以远程，所以想试试。
我之前是做销售的，想转行做项目经理。
没有相关经验。
请问工资多少？
"""),
    # Weak letters often name a keyword only to say they lack it.
    "negated": _bank("""
我没有用过Jira，也不太懂敏捷开发，不过愿意尝试。
我没有PMP证书，也没有考过其他项目管理方面的证。
没做过Scrum，也没听说过看板，但是我可以学。
我没有用过Jira，平时都是用微信群沟通工作。
"""),
}

CN_STORY = {
    "intro": _bank("""
我主导的最完整的一个项目是{project}，从最初的想法到正式上线用了{months}个月，团队一共{team}人。
印象最深的是{project}。我是这个项目的项目经理，从立项、需求调研一直跟到上线和复盘。
去年我负责了{project}，当时老板只有一个模糊的想法，我需要把它变成一个能落地的计划。
我想讲讲{project}，这是我第一次独立负责一个从0到1的项目。
"""),
    "plan": _bank("""
立项阶段我先和业务方一起明确了项目范围和成功标准，写了项目章程，然后做WBS，拆出了六个里程碑。
我们确定了预算和时间表，并把关键路径画在甘特图上，每周对照检查一次。
需求调研阶段我访谈了十几位一线用户，把需求按优先级分成了必须有、应该有和可以有三档。
我和算法负责人一起评估了技术方案，先用两周做了一个原型验证可行性，再正式排期。
"""),
    "exec": _bank("""
开发阶段我们用Scrum，两周一个迭代，每天站会，迭代结束做演示和回顾。
所有任务都在Jira里管理，我配置了看板和燃尽图，团队每天都能看到进度。
中间遇到了数据标注质量不过关的问题，我一边协调外包返工，一边调整后续里程碑，最终没有影响上线日期。
项目中期客户提出了一个较大的需求变更，我评估了它对范围、预算和工期的影响，和客户重新谈定了优先级。
模型在真实场景下的准确率只有八成，我组织算法和产品一起排查原因，发现是光照条件的差异，
  补充数据后提升到了九成五以上。
每周我给干系人发项目周报，列出进度、风险和需要他们决策的事项。
"""),
    "result": _bank("""
项目最终按时上线，预算节省了{pct}%，上线第一个月就有{users}名用户在使用。
上线之后，人工质检的工作量减少了{pct}%，这个系统后来推广到了公司的另外三个工厂。
项目按计划交付，客户验收一次通过，之后又和我们签了二期合同。
上线后我们做了一次完整的复盘，把踩过的坑整理成了检查清单，后来成了公司项目的标准模板。
"""),
    "lesson": _bank("""
这个项目让我明白，项目经理最重要的不是盯进度，而是让每个人都清楚目标和自己的角色。
回头看，最关键的决定是早期就做了原型验证，否则后面的返工成本会大得多。
我从中学到，风险要尽早暴露，坏消息越早说越好。
"""),
    "mid": _bank("""
我参与过公司ERP系统的上线，主要负责和各部门对接需求、跟进进度。
之前在学校里带队做过一个校园二手交易小程序，从想法到上线大概两个月，有两百多名同学在用。
我负责过一次线下活动的策划和执行，从预算到现场执行都是我来统筹。
我们部门做过一个内部报表系统，我负责需求整理和测试验收，项目延期了一个月才上线。
我协助项目经理做过一个App的改版，负责会议纪要、跟进任务和整理文档。
去年公司上线新的CRM，我是我们部门的对接人，负责收集需求和组织培训。
"""),
    "weak": _bank("""
暂无。
没有主导过项目。
在学校做过课程设计。
无
参与过，但不是负责人。
想不起来了，面试时再详细说。
"""),
}
CN_SLOTS = {
    "company": ("一家在线教育创业公司", "某互联网大厂", "一家智能制造企业", "某股份制银行的科技子公司",
                "一家做安防视觉算法的公司", "一家跨境电商公司", "某汽车零部件集团", "一家SaaS公司"),
    "domain": ("在线教育", "电商", "金融科技", "智能制造", "安防", "医疗信息化", "企业服务", "物流"),
    "project": ("公司在线课程平台的全面改版", "一套基于计算机视觉的产线缺陷检测系统", "仓库自动分拣的视觉识别项目",
                "面向中小商家的SaaS收银系统", "银行手机App账户模块的重构", "医院的预约挂号小程序",
                "公司内部的数据中台建设", "一款面向中学生的英语学习App", "物流调度系统从单体到微服务的迁移",
                "用摄像头和OpenCV做的门店客流统计项目"),
}

# --------------------------------------------------------------------------- letters (Traditional)

TW = {
    "open": _bank("""
我在PyImageSearch的部落格上看到技術專案經理的職缺，覺得和我的經歷非常契合。
我是PyImageSearch的長期讀者，從OpenCV的入門教學一路跟到深度學習課程，看到這次的職缺就馬上投遞了。
您好，我想應徵技術專案經理一職，以下簡單說明我為什麼適合這個職位。
看到職缺說明中「端到端專案開發流程的專家監督」這句話，我覺得這正是我這幾年每天在做的事情。
"""),
    "background": _bank("""
我有{yp}的專案管理經驗，目前在{company}擔任技術專案經理，負責{domain}相關產品的交付。
過去{yp}我都在{domain}產業做專案管理，從專案助理做起，現在獨立負責整條產品線。
我大學讀的是{major}，畢業後當了兩年軟體工程師，之後轉做專案經理，至今已經{yp}。
目前我在{company}帶領一個{team}人的團隊，成員包含演算法、後端、前端和測試。
"""),
    "methods": _bank("""
我們團隊採用Scrum，兩週一個衝刺，每個衝刺結束都會開回顧會議，把改善事項帶進下一個衝刺。
需求變動大的部分我用敏捷方式推進，硬體和採購相關的部分則用瀑布模型搭配甘特圖控管關鍵路徑。
每個專案啟動時，我都會先做WBS工作分解結構，把交付物拆到一到三天可以完成的粒度。
我建立了專案的風險清單，每週例會更新一次，每項風險都有負責人和應對措施。
維運類的工作我習慣用看板管理，限制在製品數量，讓瓶頸一目了然。
"""),
    "tools": _bank("""
我們用Jira管理敏捷迭代，用Confluence整理需求文件和會議紀錄。
團隊原本用Excel排程，是我主導導入Jira，設定好工作流程和看板，三個月內全員轉換完成。
我負責過公司專案管理軟體的評估，比較了Jira、Asana和Trello，最後依團隊規模和預算做出決定。
"""),
    "mentor": _bank("""
我很重視帶新人，會幫每位新同事安排導師，並規劃一個月的到職培訓。
這幾年我輔導過五位初階專案經理，其中兩位已經能獨立負責專案。
我認為人才培養是主管最重要的工作，每個月都會和成員一對一聊職涯發展。
"""),
    "org": _bank("""
我的時間管理能力不錯，每天早上會先排好優先順序，再處理信件和訊息。
我把自己的做法整理成一份專案經理作業手冊，包含立案檢查清單和上線檢查清單，現在整個部門都在使用。
同時推動多個專案時，我會依輕重緩急統一排程，確保重要的截止日期不會互相衝突。
"""),
    "account": _bank("""
我的責任感很強，答應的事一定負責到底，專案出了問題會先從自己身上找原因。
我認為專案經理要有主人翁意識，對結果負責，而不只是傳話。
"""),
    "problem": _bank("""
遇到線上事故時，我會先帶大家止血，再做根因分析，最後把改善措施寫進流程。
我擅長解決問題，特別是那些跨團隊、沒有明確負責人的灰色地帶。
每個專案結束後我都會主持事後複盤，把經驗整理成文件，避免重複踩坑。
"""),
    "lead": _bank("""
我目前帶領一個{team}人的跨部門團隊，包含演算法工程師、後端、前端和測試。
我當了多年的技術負責人，擅長跨部門協作，讓產品、研發和業務朝同一個目標前進。
我的領導風格偏教練型，給團隊足夠的空間，也會在關鍵時刻做決定。
"""),
    "risk": _bank("""
我習慣在專案初期就找出風險、提前準備應變方案，而不是等問題爆發再救火。
每次衝刺規劃時，我都會和大家一起盤點可能的阻塞和瓶頸，能提前處理的絕不拖到最後。
遇到超出我權限的問題，我會第一時間上報給相關主管，並附上我的分析和建議。
"""),
    "delivery": _bank("""
我負責專案從立案到上線的完整流程，包括需求範圍、預算、時程和驗收標準。
我會把專案計畫拆成清楚的里程碑和交付物，每個里程碑都有明確的日期和負責人。
過去三年我負責的軟體專案都按時上線，預算誤差控制在百分之五以內。
範圍蔓延是很多專案失敗的原因，所以我會嚴格管理需求變更，每次變更都評估對時程和成本的影響。
"""),
    "report": _bank("""
我每週會寄專案週報給利害關係人，內容包括進度、風險、下週計畫和需要決策的事項。
我很重視溝通，會依對象調整報告方式：對老闆講結果和風險，對工程師講細節和優先順序。
我建立過專案儀表板，關鍵指標一目了然，主管不用開會也能隨時掌握進度。
"""),
    "process": _bank("""
我喜歡找出流程中的問題並加以改善，前公司的發版流程就是我推動優化的，發版時間從半天縮短到半小時。
我為團隊建立了需求審查、程式碼審查和上線審核三套制度，並搭配範本，新人也能很快上手。
我會定期更新團隊的知識庫和專案文件，確保任何人離開都不會帶走關鍵資訊。
很多重複性的工作我都推動自動化，例如測試報告和週報數據的產生。
"""),
    "motive": _bank("""
我是很有上進心、自我驅動的人，下班後也一直在學習新東西。
我對自己的工作很自豪，只要是交給我的任務，我都會堅持到底直到完成。
"""),
    "cvai": _bank("""
我對電腦視覺和深度學習非常有興趣，業餘時間用Python和OpenCV做過幾個小專案，例如車牌辨識和人臉偵測。
我之前負責的專案就是一套以深度學習為基礎的影像辨識系統，和演算法團隊合作很順利。
我希望能在人工智慧領域產生一些影響，讓更多人透過PyImageSearch的教學學會電腦視覺。
"""),
    "close": _bank("""
非常期待有機會和您進一步聊聊，謝謝！
我可以在七月初到職，全職或兼職都可以。
感謝您撥冗閱讀我的申請。
"""),
    "generic": _bank("""
我個性開朗，學習能力強，能很快適應新環境。
我做事認真細心，和同事相處融洽。
我的英文讀寫沒有問題，可以直接和國外團隊溝通。
雖然我的專案管理經驗不多，但一直朝這個方向努力。
我參與過公司幾個系統的上線，主要負責協調和追蹤進度。
我目前沒有PMP證照，但正在準備考試。
我之前當過產品助理，常常和工程師、設計師一起討論需求。
"""),
    "weak": _bank("""
希望能給我一個機會。
我沒有專案管理經驗，但學習能力很強。
剛畢業，想找遠端的工作。
我之前做業務，想轉職當專案經理。
沒有相關經驗，但願意學習。
請問薪水多少？
"""),
    "negated": _bank("""
沒有PMP證書，也沒用過Jira。
我沒有用過Jira，也不太懂敏捷開發。
沒有做過Scrum，不過對專案管理很有興趣。
"""),
}
TW_STORY = {
    "intro": _bank("""
我主導過最完整的專案是{project}，從最初的構想到正式上線花了{months}個月，團隊共{team}人。
印象最深的是{project}。我是這個專案的專案經理，從立案、需求訪談一路跟到上線和檢討。
去年我負責{project}，當時老闆只有一個模糊的想法，我要把它變成可以執行的計畫。
"""),
    "plan": _bank("""
立案階段我先和業務單位一起定義專案範圍和成功標準，接著做WBS，拆出六個里程碑。
我們確定了預算和時程，並把關鍵路徑畫在甘特圖上，每週對照檢查。
需求訪談階段我訪問了十幾位第一線使用者，把需求依優先順序分成必要、應有和可有三級。
"""),
    "exec": _bank("""
開發階段我們用Scrum，兩週一個衝刺，每天站立會議，衝刺結束時做展示和回顧。
所有任務都在Jira上管理，我設定了看板和燃盡圖，團隊每天都能看到進度。
中途資料標註品質不佳，我一邊協調外包重工，一邊調整後續里程碑，最後沒有影響上線日期。
模型在實際場域的準確率只有八成，我找演算法和產品一起排查原因，發現是光線條件不同，
  補資料後提升到九成五以上。
"""),
    "result": _bank("""
專案最後如期上線，預算省下{pct}%，上線第一個月就有{users}位使用者。
上線後人工檢測的工作量減少了{pct}%，系統後來推廣到公司另外三座工廠。
專案如期交付，客戶一次驗收通過，之後又簽了二期合約。
"""),
    "lesson": _bank("""
這個專案讓我體會到，專案經理最重要的不是盯進度，而是讓每個人都清楚目標和自己的角色。
我學到風險要越早揭露越好，壞消息越早講越好。
"""),
    "mid": _bank("""
我參與過公司ERP系統導入，主要負責和各部門對接需求、追蹤進度。
大學時帶隊做過一個校園二手交易App，從構想到上線大約兩個月。
我協助專案經理做過App改版，負責會議紀錄、追蹤任務和整理文件。
"""),
    "weak": _bank("""
暫無。
沒有主導過專案。
無
做過學校的專題。
"""),
}
TW_SLOTS = {
    "company": ("一家半導體設備公司", "某電商平台", "一家新創公司", "某金控的數位部門", "一家遊戲公司",
                "一家做智慧製造的軟體公司"),
    "domain": ("半導體", "電商", "金融科技", "智慧製造", "遊戲", "醫療資訊"),
    "project": ("公司電商平台的會員系統改版", "一套用影像辨識做晶圓瑕疵檢測的系統", "醫院門診預約App",
                "客服聊天機器人", "工廠的設備稼動率監控平台", "線上課程平台從零到上線"),
}

# Hong Kong: the Taiwan sentences in Hong Kong wording, plus a few of its own (written
# Cantonese and English code-mixing are common in Hong Kong application forms).
HK_WORDING = (
    ("專案經理", "項目經理"), ("專案", "項目"), ("軟體", "軟件"), ("資料", "數據"), ("部落格", "網誌"),
    ("品質", "質素"), ("職缺", "職位"), ("應徵", "申請"), ("到職", "入職"), ("演算法", "算法"),
    ("辨識", "識別"), ("排程", "排期"), ("時程", "時間表"), ("使用者", "用戶"), ("訊息", "信息"),
    ("影像", "圖像"), ("程式碼", "代碼"), ("網路", "網絡"), ("衝刺", "Sprint"), ("維運", "系統維護"),
    ("業務單位", "業務部門"), ("計畫", "計劃"), ("偵測", "檢測"),
)
HK_EXTRA = {
    "background": _bank("""
我喺{company}做咗{yp}IT項目經理，主要負責{domain}相關系統嘅升級同上線。
"""),
    "tools": _bank("""
平時會用Jira同Confluence track住個project嘅progress，每個sprint完都會做retro。
"""),
    "delivery": _bank("""
我負責嘅項目由scoping、budget到timeline都係我一手跟，過去三年冇一個項目delay。
"""),
    "generic": _bank("""
我英文好好，之前嘅公司全部都係用英文溝通。
"""),
    "weak": _bank("""
想試下。
冇相關經驗，但係好想學。
"""),
    "negated": _bank("""
冇用過Jira，亦都冇PMP，不過可以學。
"""),
}
HK_SLOTS = {
    "company": ("一間銀行", "一間物流公司", "一間保險公司的IT部門", "一間大學的資訊科技處"),
    "domain": ("銀行", "物流", "保險", "教育"),
    "project": ("銀行網上理財平台的升級", "倉庫的圖像識別點貨系統", "保險理賠App", "學生資訊系統的更換"),
}


def to_hk(text: str) -> str:
    for taiwan, hong_kong in HK_WORDING:
        text = text.replace(taiwan, hong_kong)
    return text


def _hk_pools(base: dict, extra: dict) -> dict:
    pools = {key: tuple(to_hk(s) for s in value) for key, value in base.items()}
    for key, value in extra.items():
        pools[key] = pools[key] + value
    return pools


HK = _hk_pools(TW, HK_EXTRA)
HK_STORY = _hk_pools(TW_STORY, {})

LETTERS = {"cn": CN, "tw": TW, "hk": HK}
STORIES = {"cn": CN_STORY, "tw": TW_STORY, "hk": HK_STORY}
SLOTS = {"cn": CN_SLOTS, "tw": TW_SLOTS, "hk": HK_SLOTS}
TOPICS = ("methods", "tools", "mentor", "org", "account", "problem", "lead", "risk", "delivery", "report",
          "process", "motive")
STRONG_TOPICS = ("methods", "tools", "risk", "delivery", "report")

# A keyword named only to say the applicant lacks it (or has not got it yet); the answer key
# lists who wrote one. Matched after NFKC and case folding.
NEGATION_COLUMNS = ("项目管理证书", "使用过的项目管理工具", "为什么你适合这个职位")
NEGATION_CUES = ("没有用过jira", "沒有用過jira", "沒用過jira", "冇用過jira", "没有pmp", "沒有pmp", "冇pmp",
                 "不太懂敏捷", "没做过scrum", "沒有做過scrum", "正在备考pmp", "準備考pmp")

# Latin names that some people type in full width (an IME left in full-width mode).
FULL_WIDTH_WORDS = ("Jira", "PMP", "Scrum", "WBS", "OpenCV")


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def full_width_words(text: str) -> str:
    for word in FULL_WIDTH_WORDS:
        text = text.replace(word, full_width(word))
    return text


# --------------------------------------------------------------------------- one applicant


def phone(rng: random.Random, region: str) -> str:
    pattern = rng.choice(PHONES[region])
    return "".join(str(rng.randint(0, 9)) if c == "#" else c for c in pattern)


def pick_years(rng: random.Random, tier: str) -> float:
    if tier == STRONG:
        return float(rng.randint(6, 15))
    if tier == GOOD:
        return rng.choice((2.5, 3.0, 4.0, 5.0, 6.0, 3.0, 4.0))
    if tier == MID:
        return rng.choice((0.0, 0.5, 1.0, 1.0, 2.0, 2.0, 2.5, 3.0, 3.0, 4.0, 5.0, 7.0, 10.0))
    return rng.choice((0.0, 0.0, 0.5, 1.0))


def pick_degree(rng: random.Random, tier: str, region: str) -> tuple[str, str]:
    """(the degree answer, the field of study answer)."""
    by_level: dict[str, list[str]] = {}
    for answer, level in DEGREES[region]:
        by_level.setdefault(level, []).append(answer)
    if tier == STRONG:
        level = rng.choice(("bachelor", "master", "master"))
    elif tier == GOOD:
        level = rng.choice(("bachelor", "bachelor", "master", "associate"))
    elif tier == MID:
        level = rng.choices(("high", "associate", "bachelor", "master", "phd"), (5, 20, 55, 17, 3))[0]
    else:
        level = rng.choice(("high", "associate", "associate", "bachelor"))
    degree = rng.choice(by_level[level])
    if tier == STRONG:
        pool = FIELDS_PM_MASTER[region] if level == "master" and rng.random() < 0.6 else FIELDS_TECH[region]
    elif tier == GOOD:
        pool = FIELDS_TECH[region] if rng.random() < 0.7 else FIELDS_OTHER[region]
    elif tier == MID:
        pool = FIELDS_TECH[region] if rng.random() < 0.45 else FIELDS_OTHER[region]
    else:
        pool = FIELDS_OTHER[region]
    return degree, rng.choice(pool)


def yes_no(rng: random.Random, yes_share: float, region: str) -> str:
    yes = rng.random() < yes_share
    if region == "cn":
        forms = (("是", 85), ("是的", 10), ("有", 5)) if yes else (("否", 90), ("没有", 5), ("否，但带过实习生", 5))
    else:
        forms = (("是", 85), ("有", 15)) if yes else (("否", 90), ("沒有", 10))
    return rng.choices([f for f, _ in forms], [w for _, w in forms])[0]


def start_answer(rng: random.Random, tier: str, region: str) -> str:
    share = {STRONG: 0.9, GOOD: 0.8, MID: 0.7, WEAK: 0.6}[tier]
    if rng.random() < 0.08:
        return rng.choice(("可以，需要提前一个月通知现公司", "不确定") if region == "cn" else ("可以", "不確定"))
    return "是" if rng.random() < share else "否"


def fill(sentences: list[str], slots: dict[str, str]) -> list[str]:
    return [s.format_map(slots) for s in sentences]


def pick(rng: random.Random, pool: tuple[str, ...], taken: list[str]) -> str:
    """A sentence not said yet, and not a second one about the size of the team."""
    team = any("{team}" in s for s in taken)
    fresh = [s for s in pool if s not in taken and not (team and "{team}" in s)]
    return rng.choice(fresh or pool)


def letter(rng: random.Random, tier: str, region: str, slots: dict[str, str]) -> str:
    pools = LETTERS[region]
    if tier == WEAK:
        sentences = rng.sample(pools["weak"], rng.choice((1, 1, 2)))
        if rng.random() < 0.6:
            sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(pools["negated"]))
        return "".join(fill(sentences, slots))
    if tier == STRONG:
        others = [t for t in TOPICS if t not in STRONG_TOPICS]
        topics = list(STRONG_TOPICS) + rng.sample(others, rng.randint(4, 6))
        rng.shuffle(topics)
        head = [rng.choice(pools["open"]), rng.choice(pools["background"])]
        body = [pick(rng, pools[t], head) for t in topics]
        if rng.random() < 0.5:  # a second sentence on one of the topics
            body.append(pick(rng, pools[rng.choice(topics)], head + body))
        body.append(rng.choice(pools["cvai"]))
        tail = [rng.choice(pools["close"])]
        third = len(body) // 3
        paragraphs = [head + body[:third], body[third:2 * third], body[2 * third:] + tail]
    elif tier == GOOD:
        topics = rng.sample(TOPICS, rng.randint(3, 5))
        head = [rng.choice(pools["open"]), rng.choice(pools["background"])]
        body = [pick(rng, pools[t], head) for t in topics]
        if rng.random() < 0.5:
            body.append(rng.choice(pools["cvai"]))
        if rng.random() < 0.4:
            body.insert(rng.randrange(len(body) + 1), rng.choice(pools["generic"]))
        paragraphs = [head, body + ([rng.choice(pools["close"])] if rng.random() < 0.7 else [])]
    else:
        body = [rng.choice(pools[t]) for t in rng.sample(TOPICS, rng.randint(0, 2))]
        body += rng.sample(pools["generic"], rng.randint(1, 3))
        rng.shuffle(body)
        head = [rng.choice(pools["open"])] if rng.random() < 0.7 else []
        tail = [rng.choice(pools["close"])] if rng.random() < 0.5 else []
        paragraphs = [head + body + tail]
    sep = "\n" if rng.random() < 0.7 else ""
    return sep.join("".join(fill(p, slots)) for p in paragraphs if p)


def story(rng: random.Random, tier: str, region: str, slots: dict[str, str]) -> str:
    pools = STORIES[region]
    if tier == WEAK:
        return rng.choice(pools["weak"])
    if tier == MID:
        if rng.random() < 0.25:
            return rng.choice(pools["weak"])
        return "".join(fill(rng.sample(pools["mid"], rng.choice((1, 1, 2))), slots))
    if tier == GOOD:
        parts = [rng.choice(pools["intro"]), rng.choice(pools["plan"])]
        parts += rng.sample(pools["exec"], rng.choice((1, 2)))
        parts.append(rng.choice(pools["result"]))
        return "".join(fill(parts, slots))
    parts = [rng.choice(pools["intro"])]
    plan = rng.sample(pools["plan"], 2)
    execution = rng.sample(pools["exec"], 3)
    ending = [rng.choice(pools["result"]), rng.choice(pools["lesson"])]
    paragraphs = [parts + plan, execution, ending]
    sep = "\n" if rng.random() < 0.6 else ""
    return sep.join("".join(fill(p, slots)) for p in paragraphs)


def person(rng: random.Random, tier: str, region: str) -> dict:
    surname, surname_rom = rng.choice(SURNAMES[region])
    given, given_rom = rng.choice(GIVEN_NAMES[region])
    local = rng.choice((
        f"{surname_rom}{given_rom}{rng.randint(1, 99)}",
        f"{given_rom}.{surname_rom}",
        f"{surname_rom}.{given_rom}{rng.randint(80, 99)}",
        f"{given_rom}{surname_rom}{rng.randint(1985, 1999)}",
    ))
    if region == "cn" and rng.random() < 0.25:
        local, domain = str(rng.randint(10_000_000, 2_999_999_999)), "qq.com"
    else:
        domain = rng.choice(EMAIL_DOMAINS[region])
    years = pick_years(rng, tier)
    degree, major = pick_degree(rng, tier, region)
    slots = {
        "name": surname + given,
        "yp": years_phrase(rng, years, region),
        # The letters say what they studied first ("我本科学的是…"): a bachelor's subject.
        "major": rng.choice(FIELDS_TECH[region]) if major in FIELDS_PM_MASTER[region] else major,
        "team": str(rng.choice((6, 8, 10, 12, 15, 20))),
        "months": str(rng.choice((4, 5, 6, 8, 9, 10, 12))),
        "pct": str(rng.choice((15, 20, 25, 30, 35, 40))),
        "users": rng.choice(("三千", "五千", "一万多", "两万", "8000", "1.2万"))
        if region == "cn" else rng.choice(("三千", "五千", "一萬多", "兩萬", "8000")),
    }
    pool = SLOTS[region]
    companies = rng.sample(pool["company"], 2)
    slots.update(company=companies[0], company2=companies[1], domain=rng.choice(pool["domain"]),
                 project=rng.choice(pool["project"]))
    managed_share = {STRONG: 1.0, GOOD: 0.75, MID: 0.35, WEAK: 0.0}[tier]
    row = {
        "姓": surname,
        "名": given,
        "电子邮件": f"{local}@{domain}",
        "电话": phone(rng, region) if rng.random() < 0.95 else "",
        "所在城市": rng.choice(CITIES[region]),
        "最高学历": degree,
        "专业": major,
        "项目管理经验年数": years_answer(rng, years, region),
        "项目管理证书": rng.choice(CERTS[tier][region]),
        "使用过的项目管理工具": rng.choice(TOOLS[tier][region]),
        "是否管理或指导过团队": yes_no(rng, managed_share, region),
        "能否在七月初入职": start_answer(rng, tier, region),
        "为什么你适合这个职位": letter(rng, tier, region, slots),
        "讲讲你从构思到上线主导的一个项目": story(rng, tier, region, slots),
    }
    fw = rng.random() < (0.3 if tier == STRONG else 0.1)
    if fw:  # an input method left in full-width mode
        for column in ("项目管理证书", "使用过的项目管理工具"):
            row[column] = full_width(row[column])
        row["为什么你适合这个职位"] = full_width_words(row["为什么你适合这个职位"])
    answers = unicodedata.normalize("NFKC", "\n".join(row[c] for c in NEGATION_COLUMNS)).casefold()
    negated = any(cue in answers for cue in NEGATION_CUES)
    return {"row": row, "tier": tier, "region": region, "years": years, "full_width": fw, "negated": negated}


def submitted_at(rng: random.Random, late: bool) -> datetime:
    start, end = (DEADLINE, CLOSED_AT) if late else (OPEN_AT, DEADLINE)
    # More applications in the first days and just before the deadline.
    u = rng.random()
    share = u ** 1.6 if rng.random() < 0.7 else 1 - (1 - u) ** 3
    seconds = int((end - start).total_seconds() * share)
    return start + timedelta(seconds=max(seconds, 1))


def generate(rows: int, seed: int) -> tuple[list[dict], dict]:
    rng = random.Random(seed)
    planted = max(1, round(rows / 12))
    tiers = [STRONG] * planted + [WEAK] * planted
    good = round(rows * 0.2)
    tiers += [GOOD] * good + [MID] * (rows - len(tiers) - good)
    # The planted groups get a fixed mix of scripts; everyone else a random one.
    fixed = {STRONG: ["cn"] * planted, WEAK: ["cn"] * planted}
    for tier in (STRONG, WEAK):
        n_tw, n_hk = round(planted * 0.3), round(planted * 0.1)
        fixed[tier][:n_tw] = ["tw"] * n_tw
        fixed[tier][n_tw:n_tw + n_hk] = ["hk"] * n_hk
    people = []
    for tier in tiers:
        region = fixed[tier].pop() if tier in fixed else rng.choices(REGIONS, REGION_WEIGHTS)[0]
        people.append(person(rng, tier, region))
    late_count = max(1, round(rows * 0.04))
    mids = [i for i, p in enumerate(people) if p["tier"] == MID]
    late = set(rng.sample(mids, min(late_count, len(mids))))
    for i, p in enumerate(people):
        p["submitted"] = submitted_at(rng, i in late)
        p["late"] = i in late
    # Form services number entries in the order they arrive.
    people.sort(key=lambda p: (p["submitted"], p["row"]["电子邮件"]))
    emails: set[str] = set()
    for number, p in enumerate(people, start=1):
        p["id"] = number
        email = p["row"]["电子邮件"]
        while email in emails:  # different people, different addresses
            local, _, domain = email.partition("@")
            email = f"{local}{number}@{domain}"
        emails.add(email)
        p["row"].update({"编号": str(number), "电子邮件": email,
                         "提交时间": p["submitted"].strftime("%Y-%m-%d %H:%M:%S")})
    return people, answer_key(people, rows, seed)


def answer_key(people: list[dict], rows: int, seed: int) -> dict:
    script = {"cn": "simplified", "tw": "traditional", "hk": "traditional"}
    region = {"cn": "mainland", "tw": "taiwan", "hk": "hong_kong"}

    def planted(tier: str) -> list[dict]:
        return [
            {"id": p["id"], "script": script[p["region"]], "region": region[p["region"]],
             "years": p["years"], "pm_years_answer": p["row"]["项目管理经验年数"],
             "certifications": p["row"]["项目管理证书"]}
            for p in people if p["tier"] == tier
        ]

    key = {
        "about": (
            "Planted traits of the generated Chinese sample, by 编号 (the entry number). strong: "
            "degree in a technical field, 6-15 years, PMP, Jira, managed a team, long letters "
            "covering many project-management methods; weak: short letters, little or no "
            "experience, no certificate, often negated mentions (没有用过Jira, 沒有PMP證書). "
            "Everyone else is good (about 20%) or in between."
        ),
        "seed": seed,
        "rows": rows,
        "deadline": "2020-06-26T23:59 America/New_York (2020-06-27 11:59 Asia/Shanghai, as the export writes it)",
        "strong": planted(STRONG),
        "weak": planted(WEAK),
        "strong_ids": [p["id"] for p in people if p["tier"] == STRONG],
        "weak_ids": [p["id"] for p in people if p["tier"] == WEAK],
        "good_ids": [p["id"] for p in people if p["tier"] == GOOD],
        "late": [p["id"] for p in people if p["late"]],
        "full_width_latin": [p["id"] for p in people if p["full_width"]],
        "negated_mentions": [p["id"] for p in people if p["negated"]],
        "traditional": [p["id"] for p in people if p["region"] != "cn"],
    }
    key["counts"] = {k: len(v) for k, v in key.items() if isinstance(v, list)} | {
        f"region_{region[r]}": sum(p["region"] == r for p in people) for r in REGIONS
    }
    return key


def write(out: Path, people: list[dict], key: dict) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / "applicants_zh.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(HEADERS)
        for p in people:
            writer.writerow([p["row"][h] for h in HEADERS])
    key_path = out / "answer_key_zh.json"
    key_path.write_text(json.dumps(key, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return [csv_path, key_path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the seeded Chinese sample applications.")
    parser.add_argument("--rows", type=int, default=ROWS, help=f"number of applicants ({ROWS})")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed ({SEED})")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent), help="output folder")
    args = parser.parse_args(argv)
    if args.rows < 2:
        parser.error("--rows must be 2 or more")
    people, key = generate(args.rows, args.seed)
    for path in write(Path(args.out), people, key):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)", file=sys.stderr)
    counts = ", ".join(f"{k} {v}" for k, v in key["counts"].items())
    print(f"{args.rows} rows, seed {args.seed}; {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
