"""Regenerate the import-fidelity corpus (issue #16): files written the ways units really send them.

Every file of ``tests/data/corpus/`` is described here, cell by cell, and written by this script;
the files are committed so ``tests/unit/importing/test_corpus.py`` reads real bytes.  What the
unit meant by each file — every stored field of every record — is written, independently, in
``tests/unit/importing/corpus_expected.py``.

.xls needs xlwt, which is not a silverdesk dependency::

    pip download --no-deps xlwt          # xlwt-1.3.0-py2.py3-none-any.whl
    PYTHONPATH=src:xlwt-1.3.0-py2.py3-none-any.whl python tests/data/corpus/make_corpus.py

A sheet is ``rows`` (top to bottom: title, 填报单位 line, header, records, blank rows, footers;
``None`` is an empty cell) and ``merges`` (first row, first column, last row, last column; 0-based
sheet rows and columns).  CSV files have no merges; ``encoding`` says how their bytes are written.
The fictional county 青山县 (榆山街道, 龙山镇, 城关街道, 县卫生健康局 …) is set up by the test.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
D = dt.date

# fictional ID numbers with a valid GB 11643 check digit (region 371502 is made up)
ID = {
    "周德明": "371502195203140116", "吴桂兰": "371502195507020228", "郑国庆": "371502194910010316",
    "冯淑珍": "371502195712200420", "陈立新": "371502195305080513", "褚玉梅": "371502195802110621",
    "卫建军": "371502195008300719", "蒋秀云": "371502195604250826", "沈志刚": "371502195101190913",
    "韩凤英": "371502195409091022", "杨振华": "371502194806161114", "朱丽萍": "371502195911031228",
    "秦守义": "371502195212121312", "尤桂芝": "371502195703031426", "许文斌": "371502195505051514",
    "何春燕": "371502195808181623", "吕長生": "371502195002281713", "施美玲": "371502195606061826",
    "张海涛": "371502195310101913", "孔繁荣": "371502195107072010", "曹建业": "371502195404042117",
    "严秀英": "371502195701012221", "华永福": "371502194909192319", "金玉兰": "371502195512012425",
    "魏国栋": "37150219520520251X", "陶淑华": "371502195608082620", "姜德顺": "371502195003152710",
    "戚桂香": "371502195810252822", "谢宝山": "371502195302022916", "邹素梅": "371502195707173026",
}  # fmt: skip
BAD_ID = "371502195401011236"  # check digit wrong (the right one is 5): refused

# ---- the files ---------------------------------------------------------------------------------
SPECS: dict[str, dict[str, Any]] = {}


def spec(name: str, rows: list[list[Any]], merges: list[tuple[int, int, int, int]] | None = None, *,
         sheet: str = "Sheet1", encoding: str = "") -> None:  # fmt: skip
    SPECS[name] = {"rows": rows, "merges": merges or [], "sheet": sheet, "encoding": encoding}


# 01 A street's roster as it comes: title, 填报单位 line, 性别 男性/女性, short 民族, 是否党员 √/×/空/是,
# 原工作单位 and 居住社区 merged over three people, teams with and without 志愿服务队, a blank row, footers.
spec("r01_榆山街道_离退休干部登记表.xlsx", [
    ["榆山街道离退休干部基本情况登记表"],
    ["填报单位：榆山街道", None, None, None, None, None, None, None, None, "填报日期：2026年10月28日"],
    ["序号", "姓名", "性别", "民族", "出生年月", "身份证号码", "是否党员", "原工作单位", "联系电话", "居住社区",
     "所在服务队", "备注"],
    [1, "周德明", "男性", "汉", "1952.03", ID["周德明"], "√", "县卫健局", "13905310001", "幸福里社区", "夕阳红", None],
    [2, "吴桂兰", "女性", "回", "1955.07", ID["吴桂兰"], "×", None, "13905310002", None, "夕阳红志愿服务队", None],
    [3, "郑国庆", "男", "满", "1949.10", ID["郑国庆"], None, None, "13905310003", None, None, "离休干部"],
    [None] * 12,
    [4, "冯淑珍", "女", "汉族", "1957.12", ID["冯淑珍"], "是", "县教育局", "13905310004", "文化路社区",
     "夕阳红服务队", None],
    ["合计", "4人"],
    ["填表人：张敏", None, None, None, None, "审核人：李强", None, None, "联系电话：0531-8888001"],
], [(0, 0, 0, 11), (3, 7, 5, 7), (3, 9, 5, 9)], sheet="名册")  # fmt: skip

# 02 A township's roster as legacy .xls: 性别 M/F, 民族 汉/回族/蒙古, 政治面貌 党员/群众/预备党员, 离退休 written
# 退/离休, 原单位 merged over two people, 村 in 社区, one ID number with a wrong check digit.
spec("r02_龙山镇_老干部花名册.xls", [
    ["龙山镇离退休干部花名册"],
    ["填报单位：龙山镇", None, None, None, None, None, "填报日期：2026-10-30"],
    ["序号", "姓名", "性别", "民族", "身份证号", "政治面貌", "离退休", "原单位", "原职务", "联系电话", "社区"],
    [1, "陈立新", "M", "汉", ID["陈立新"], "党员", "退", "县财政局", "副局长", "13805310011", "龙山村"],
    [2, "褚玉梅", "F", "回族", ID["褚玉梅"], "群众", "退休", None, "科员", "13805310012", "龙山村"],
    [3, "卫建军", "男", "蒙古", ID["卫建军"], "预备党员", "离休", "龙山镇政府", "党委书记", "13805310013", "石桥村"],
    [4, "王春生", "男", "汉", BAD_ID, "群众", "退休", "龙山中学", "教师", "13805310014", "石桥村"],
    ["填表人：刘芳", None, None, None, None, "联系电话：13805310000"],
], [(0, 0, 0, 10), (3, 7, 4, 7)], sheet="花名册")  # fmt: skip

# 03 A department's list sent as .ods under its short name (the clerk typed 县卫健局 as the sending
# unit): 性别 1/2, 党员 是/否/空, 文化程度 and 职级 written the short way.
spec("r03_县卫健局_退休人员名单.ods", [
    ["县卫健局退休干部名单"],
    ["填报单位：县卫健局"],
    ["姓名", "性别", "民族", "身份证号", "党员", "文化程度", "职级", "原职务", "联系电话"],
    ["蒋秀云", 2, "汉", ID["蒋秀云"], "是", "本科", "正科", "护理部主任", "13705310021"],
    ["沈志刚", 1, "汉", ID["沈志刚"], "否", "大专", "副处", "副局长", "13705310022"],
    ["韩凤英", 2, "回", ID["韩凤英"], None, "中专", "科员", "护士长", "13705310023"],
], [(0, 0, 0, 8)], sheet="退休人员")  # fmt: skip

# 04 A plain GBK CSV roster (from WPS "另存为 CSV"): dates written three ways, 政治面貌 long and short,
# a 备注 with full-width brackets and punctuation (kept as written, as the person form keeps it).
spec("r04_城关街道_名册.csv", [
    ["姓名", "性别", "民族", "出生日期", "身份证号", "政治面貌", "联系电话", "居住社区", "家庭住址", "备注"],
    ["杨振华", "男", "汉族", "1948年6月", ID["杨振华"], "中国共产党党员", "13605310031", "光明社区", "光明路12号",
     ""],
    ["朱丽萍", "女", "汉族", "19591103", ID["朱丽萍"], "群众", "13605310032", "光明社区", "光明路8号2单元",
     "（2024年起）随女儿居住，电话常不接；有事找女儿"],
    ["秦守义", "男", "汉", "1952-12-12", ID["秦守义"], "共产党员", "13605310033", "光明社区", "", ""],
], encoding="gbk")  # fmt: skip

# 05 A UTF-8 CSV with BOM (Excel "CSV UTF-8"): 是否党员 Y/N/1/0, 是否离休 否/是/空, 是否健在 是/否, 性别 男/女.
spec("r05_县教育局_退休教师名册.csv", [
    ["姓名", "性别", "身份证号", "是否党员", "是否离休", "是否健在", "原工作单位", "原职务", "联系电话"],
    ["尤桂芝", "女", ID["尤桂芝"], "Y", "否", "是", "县第一中学", "教研组长", "13505310041"],
    ["许文斌", "男", ID["许文斌"], "N", "否", "是", "县实验小学", "校长", "13505310042"],
    ["何春燕", "女", ID["何春燕"], "1", "", "是", "县第一中学", "教师", "13505310043"],
    ["吕長生", "男", ID["吕長生"], "0", "是", "否", "县职业中专", "教师", "13505310044"],
], encoding="utf-8-sig")  # fmt: skip

# 06 A team list (who is in which team): teams written with and without 志愿服务队, several per cell,
# 社区任职 and 特长 as lists.
spec("r06_榆山街道_服务队队员名单.xlsx", [
    ["榆山街道志愿服务队队员名单"],
    ["序号", "姓名", "身份证号", "所在服务队", "社区任职", "特长"],
    [1, "施美玲", ID["施美玲"], "夕阳红、银发先锋", "楼长", "文化艺术"],
    [2, "张海涛", ID["张海涛"], "银发先锋志愿服务队", "网格员、调解员", "法律服务"],
    [3, "孔繁荣", ID["孔繁荣"], "夕阳红志愿服务队", None, "政治理论、历史人文"],
], [(0, 0, 0, 5)], sheet="队员")  # fmt: skip

# 07 A team's own member list, GBK CSV: a team the county does not have yet (created, as today).
spec("r07_新华书画服务队_队员.csv", [
    ["姓名", "性别", "身份证号", "服务队", "特长", "联系电话"],
    ["曹建业", "男", ID["曹建业"], "新华书画服务队", "文化艺术", "13305310071"],
    ["严秀英", "女", ID["严秀英"], "新华书画服务队", "文化艺术", "13305310072"],
], encoding="gbk")  # fmt: skip

# 08 A township roster as .ods: 性别 男性/女性, 民族 回族/满, 政治面貌 中共党员/民革/无党派, 所属单位 per row
# written 榆山街道办 (the street) and 龙山镇.
spec("r08_花名册_所属单位.ods", [
    ["姓名", "性别", "民族", "身份证号", "政治面貌", "所属单位", "联系电话"],
    ["华永福", "男性", "回族", ID["华永福"], "中共党员", "榆山街道办", "13205310081"],
    ["金玉兰", "女性", "满", ID["金玉兰"], "民革", "榆山街道办", "13205310082"],
    ["魏国栋", "男性", "汉", ID["魏国栋"], "无党派", "龙山镇", "13205310083"],
], sheet="名册")  # fmt: skip

# 09 A street's 信息采集表 with a two-row header (基本信息 / 政治情况 / 联系方式 merged over their columns),
# 政治面貌 beside 是否党员 (民盟 + 否 is 民盟盟员), and an ID number typed as a number (precision lost: refused).
spec("r09_城关街道_老干部信息采集表.xlsx", [
    ["城关街道离退休干部信息采集表"],
    ["基本信息", None, None, None, None, "政治情况", None, "联系方式", None],
    ["姓名", "性别", "民族", "出生年月", "身份证号", "政治面貌", "是否党员", "联系电话", "家庭住址"],
    ["陶淑华", "女", "汉", "1956.08", ID["陶淑华"], "民盟", "否", "13105310091", "光明路3号"],
    ["姜德顺", "男", "汉", "1950.03", ID["姜德顺"], None, "是", "13105310092", None],
    ["戚桂香", "女", "满", "1958.10", float(ID["戚桂香"]), "群众", "否", "13105310093", "光明路5号"],
    ["谢宝山", "男", "回", "1953.02", ID["谢宝山"], "中共党员", "√", "13105310094", "光明路9号"],
], [(0, 0, 0, 8), (1, 0, 1, 4), (1, 5, 1, 6), (1, 7, 1, 8)], sheet="信息采集")  # fmt: skip

# 10 A roster as .xls whose only sending unit is its 填报单位 line, written 榆山街道办 (none chosen at import).
spec("r10_榆山街道办_新增人员.xls", [
    ["新增离退休干部名单"],
    ["填报单位：榆山街道办", None, None, "填报日期：2026.10.31"],
    ["姓名", "性别", "身份证号", "是否党员", "联系电话", "居住社区"],
    ["邹素梅", "女", ID["邹素梅"], "是", "13005310101", "东关社区"],
    ["戚桂香", "女", ID["戚桂香"], None, "13005310102", "东关社区"],
    [None, None, "审核人：王主任"],
], [(0, 0, 0, 5)], sheet="新增人员")  # fmt: skip

# 11 A street's activity log: title, 填报单位 line, dates merged over the activities of one day, the
# team merged over two rows, 服务社区 merged, categories the unit's way, footers.
spec("a01_榆山街道_10月活动台账.xlsx", [
    ["榆山街道2026年10月离退休干部志愿服务活动台账"],
    ["填报单位：榆山街道", None, None, None, None, None, None, "统计时段：2026年10月"],
    ["序号", "活动日期", "活动名称", "服务队", "服务领域", "服务社区", "参与人次", "服务时长", "受益人次"],
    [1, D(2026, 10, 9), "重阳敬老慰问", "夕阳红", "为老服务", "幸福里社区", 12, 24, 60],
    [2, None, "防诈骗普法讲座", None, "普法宣传", None, 6, 9, 80],
    [3, None, "健康义诊进社区", "银发先锋服务队", " 义诊 ", "文化路社区", 8, 16, 120],
    [4, D(2026, 10, 16), "党的二十大精神宣讲", "夕阳红志愿服务队", "理论宣讲", "东关社区", 5, 7.5, 45],
    [None] * 9,
    ["合计", None, None, None, None, None, 31, 56.5, 305],
    ["填表人：王丽", None, None, None, "审核人：赵刚"],
], [(0, 0, 0, 8), (3, 1, 5, 1), (3, 3, 4, 3), (3, 5, 4, 5)], sheet="活动台账")  # fmt: skip

# 12 A township's log as .xls: dates written 2026.10.8, counts with 人/约, the team written without
# 志愿服务队, a 活动日期 merged over two rows, one activity in the future (refused).
spec("a02_龙山镇_志愿服务活动统计.xls", [
    ["龙山镇志愿服务活动统计表"],
    ["填报单位：龙山镇"],
    ["日期", "活动名称", "参与队伍", "活动类别", "活动地点", "参与人数", "时长", "受益群众"],
    ["2026.10.8", "秋收助农", "银发先锋", "乡村振兴", "龙山村", "15人", 3, "约200"],
    [None, "村规民约宣讲", "银发先锋服务队", "移风易俗", "石桥村", "9人", 2, "60余人"],
    ["2026.10.21", "河道垃圾清理", "银发先锋志愿服务队", "环保", "龙山河", 20, 2, 0],
    ["2026.12.30", "元旦联欢", "银发先锋", "文明创建", "龙山镇文化站", 30, 3, 300],
], [(0, 0, 0, 7), (3, 0, 4, 0)], sheet="活动统计")  # fmt: skip

# 13 A department's clinic log as .ods: 组织单位 written 县卫健局 on every row, 活动地点 merged.
spec("a03_县卫健局_义诊活动登记.ods", [
    ["县卫健局离退休干部义诊活动登记表"],
    ["活动日期", "活动名称", "组织单位", "服务领域", "活动地点", "参与人次", "服务时长", "受益人次"],
    [D(2026, 10, 12), "老专家义诊", "县卫健局", "健康义诊", "榆山街道幸福里社区卫生站", 6, 18, 150],
    [D(2026, 10, 19), "慢病管理讲座", "县卫健局", "健康义诊", None, 3, 6, 90],
    [D(2026, 10, 26), "中医理疗咨询", "县卫生健康局", "健康义诊", "龙山镇卫生院", 4, 12, 70],
], [(0, 0, 0, 7), (2, 4, 3, 4)], sheet="义诊")  # fmt: skip

# 14 A GBK CSV log: categories written 法治宣传 / 矛盾调解 / 生态环保 / 关爱下一代, 场次, 活动内容 with
# Chinese punctuation.
spec("a04_龙山镇_活动明细.csv", [
    ["活动日期", "活动名称", "服务领域", "场次", "参与人次", "服务时长", "受益人次", "活动地点", "活动内容"],
    ["2026-10-05", "法律明白人培训", "法治宣传", "1", "7", "14", "40", "龙山镇司法所",
     "组织村“两委”成员学习《民法典》，共7人参加；发放资料40份"],
    ["2026-10-13", "邻里纠纷调处", "矛盾调解", "2", "4", "8", "6", "石桥村", ""],
    ["2026-10-20", "护河巡河", "生态环保", "1", "12", "24", "0", "龙山河", "沿河巡查（约3公里）"],
    ["2026-10-27", "四点半课堂", "关爱下一代", "4", "5", "10", "35", "龙山小学", ""],
], encoding="gbk")  # fmt: skip

# 15 An .ods log that names the people who took part (on the roster) and gives 场次.
spec("a05_榆山街道_活动参与人员.ods", [
    ["活动日期", "活动名称", "服务队", "服务领域", "参与人员", "场次", "服务时长", "受益人次"],
    [D(2026, 10, 10), "社区文艺汇演", "夕阳红志愿服务队", "文明创建", "李国华、王淑芬", 1, 6, 200],
    [D(2026, 10, 24), "楼院环境整治", "夕阳红志愿服务队", "参与社区治理", "李国华", 1, 2, 30],
], sheet="活动")  # fmt: skip

# 16 A log where a date was typed into 参与人次 (20261015): that row waits for the clerk's confirmation.
spec("a06_城关街道_活动登记.xlsx", [
    ["活动日期", "活动名称", "服务领域", "活动地点", "参与人次", "服务时长", "受益人次"],
    [D(2026, 10, 15), "重阳节登高", "为老服务", "光明社区", 20261015, 3, 40],
    [D(2026, 10, 18), "政策宣讲", "理论宣讲", "光明社区", 10, 10, 50],
], sheet="活动")  # fmt: skip

# 21 A community's demand list as it is written: no 需求名称 and no 需求单位 columns, the community in
# the 填报单位 line, section rows giving the 大类, numbered content, a long need, footers.
spec("d01_幸福里社区_需求清单.xlsx", [
    ["幸福里社区“银龄共治”需求清单"],
    ["填报单位：幸福里社区", None, None, "填报日期：2026年10月20日"],
    ["序号", "需求内容", "联系人", "联系电话"],
    ["一、助老服务类"],
    [1, "1.为辖区12户独居老人每周上门探访一次，了解身体和生活情况", "刘晓燕", "13905311101"],
    [2, "智能手机使用培训。教老人用健康码、视频通话", "刘晓燕", "13905311101"],
    ["二、文体活动类"],
    [3, "（一）组建老年合唱队，每周排练两次", "陈小红", "13905311102"],
    [None, None, None, None],
    ["填表人：刘晓燕", None, "审核人：马主任"],
], [(0, 0, 0, 3)], sheet="需求清单")  # fmt: skip

# 22 A street's summary of its communities' demands as .xls: 提出社区 merged over the needs of one
# community, 需求类别 written "大类(小项)" / "大类（小项）" / "大类—小项" with stray spaces, no 名称.
spec("d02_榆山街道_社区需求汇总.xls", [
    ["榆山街道社区需求汇总表"],
    ["填报单位：榆山街道"],
    ["序号", "提出社区", "需求类别", "具体需求", "紧急程度"],
    [1, "东关社区", "法律服务(普法宣传)", "面向老年人的防电信诈骗宣传", "较急"],
    [2, None, "法律服务—普法", "开展民法典进小区宣讲，每月一次", "一般"],
    [3, "文化路社区", " 文体活动（文艺演出） ", "重阳节社区文艺演出需要书法绘画和戏曲节目方面的专业人员支持", "紧急"],
    [4, None, "医疗健康 - 健康讲座", "请医生来社区讲高血压和糖尿病的防治知识", None],
], [(0, 0, 0, 4), (3, 1, 4, 1), (5, 1, 6, 1)], sheet="需求汇总")  # fmt: skip

# 23 The full template, filled in properly (every column there): the control file.
spec("d03_需求清单_标准模板.xlsx", [
    ["需求名称", "需求类别", "小项", "需求内容", "需求单位", "联系人", "联系电话", "期望完成时间", "紧急程度"],
    ["独居老人探访", "助老服务", "探访慰问", "每周探访独居老人，重点是八十岁以上（含失能）老人", "文化路社区", "孙丽",
     "13905311201",
     D(2026, 12, 31), "一般"],
    ["青少年红色教育", "教育关爱", "红色教育", "暑期给社区青少年讲红色故事", "东关社区", "周强", "13905311202",
     None, "较急"],
], sheet="需求清单")  # fmt: skip

# 24 A GBK CSV demand list: no 名称, a 需求社区 column, categories written 普法 / 探访 (the 小项 alone).
spec("d04_龙山镇_需求登记.csv", [
    ["需求社区", "类别", "需求内容", "联系人"],
    ["龙山村", "普法", "给村民讲解土地承包法律知识；最好在农闲时", "赵村长"],
    ["石桥村", "探访慰问", "走访慰问村里的困难老党员", "钱书记"],
], encoding="gbk")  # fmt: skip

# 31 A street's resource list: no 资源名称, section rows giving the 大类, providers a person on the
# roster and a team written without 志愿服务队, a 填报单位 line and footers.
spec("s01_榆山街道_资源清单.xlsx", [
    ["榆山街道离退休干部资源清单"],
    ["填报单位：榆山街道"],
    ["序号", "提供者", "服务内容", "服务时间", "联系电话"],
    ["一、法律服务类"],
    [1, "李国华", "免费法律咨询，帮助老人写遗嘱", "每周三上午", "13905312001"],
    ["二、助老服务类"],
    [2, "夕阳红", "上门理发、修小家电", "每月15日", "13905312002"],
    ["合计", "2项"],
], [(0, 0, 0, 4)], sheet="资源清单")  # fmt: skip

# 32 A township's resource list as .ods: 资源名称 there, 类别 written "大类-小项" / "大类 — 小项",
# 提供单位 a team written 银发先锋服务队, 服务区域 a village.
spec("s02_龙山镇_银龄资源库.ods", [
    ["龙山镇银龄资源库"],
    ["资源名称", "类别", "资源内容", "提供单位", "服务区域", "可服务人数"],
    ["老党员讲党课", "政策宣讲-理论宣讲", "结合亲身经历讲党史", "银发先锋服务队", "龙山村", "30"],
    ["农技指导", "助老服务 — 智慧助老", "教老人用手机查天气和农产品价格", "王淑芬", "石桥村", "约20人"],
], [(0, 0, 0, 5)], sheet="资源")  # fmt: skip

# 33 The resource template as .xls, filled in properly: the control file.
spec("s03_资源清单_标准模板.xls", [
    ["资源类别", "小项", "资源名称", "资源内容", "提供者", "服务区域", "服务时间", "服务能力", "联系电话"],
    ["医疗健康", "健康义诊", "老专家坐诊", "内科常见病咨询", "杏林义诊志愿服务队", "幸福里社区", "每月第一个周六", 40,
     "13905313001"],
    ["教育关爱", "课业辅导", "四点半课堂辅导", "小学数学辅导", "李国华", "东关社区", "工作日下午", 15, ""],
], sheet="资源清单")  # fmt: skip

# 34 A GBK CSV resource list: no 资源名称, 提供人 named, a 小项 alone in 类别, content with a long clause.
spec("s04_城关街道_资源登记.csv", [
    ["提供人", "类别", "资源内容", "服务区域"],
    ["王淑芬", "健身指导", "教太极拳八段锦等适合六十岁以上老人的健身项目每周两次", "光明社区"],
    ["李国华", "法律咨询", "合同纠纷咨询", "光明社区"],
], encoding="gbk")  # fmt: skip


# ---- writers -----------------------------------------------------------------------------------
def _covered(merges: list[tuple[int, int, int, int]]) -> set[tuple[int, int]]:
    return {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
            if (r, c) != (r0, c0)}  # fmt: skip


def write_xlsx(path: Path, s: dict[str, Any]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = s["sheet"]
    for row in s["rows"]:
        ws.append(row)
    for r, row in enumerate(s["rows"], start=1):
        for c, v in enumerate(row, start=1):
            if isinstance(v, dt.date):
                ws.cell(r, c).number_format = "yyyy-mm-dd"
    for r0, c0, r1, c1 in s["merges"]:
        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    wb.properties.creator = "silverdesk corpus"
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 11, 1)
    wb.save(path)


def write_xls(path: Path, s: dict[str, Any]) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(s["sheet"])
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    starts = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in s["merges"]}
    covered = _covered(s["merges"])
    for r, row in enumerate(s["rows"]):
        for c, v in enumerate(row):
            if (r, c) in covered:
                continue
            style = date_style if isinstance(v, dt.date) else xlwt.Style.default_style
            if (r, c) in starts:
                r1, c1 = starts[(r, c)]
                ws.write_merge(r, r1, c, c1, v, style)
            elif v is not None:
                ws.write(r, c, v, style)
    wb.save(str(path))


def write_ods(path: Path, s: dict[str, Any]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    def cell(value: Any, **span: int) -> Any:
        if value is None:
            return TableCell(**span)
        if isinstance(value, dt.date):
            out = TableCell(valuetype="date", datevalue=value.isoformat(), **span)
        elif isinstance(value, int | float):
            out = TableCell(valuetype="float", value=value, **span)
        else:
            out = TableCell(valuetype="string", **span)
        out.addElement(P(text=str(value)))
        return out

    doc = OpenDocumentSpreadsheet()
    table = Table(name=s["sheet"])
    starts = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in s["merges"]}
    covered = _covered(s["merges"])
    width = max(len(r) for r in s["rows"])
    for r, row in enumerate(s["rows"]):
        tr = TableRow()
        for c in range(width):
            value = row[c] if c < len(row) else None
            if (r, c) in covered:
                tr.addElement(CoveredTableCell())
            elif (r, c) in starts:
                r1, c1 = starts[(r, c)]
                tr.addElement(cell(value, numberrowsspanned=r1 - r + 1, numbercolumnsspanned=c1 - c + 1))
            else:
                tr.addElement(cell(value))
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


def write_csv(path: Path, s: dict[str, Any]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in s["rows"]:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(out.getvalue().encode(s["encoding"]))


WRITERS = {".xlsx": write_xlsx, ".xls": write_xls, ".ods": write_ods, ".csv": write_csv}


def main(names: list[str]) -> None:
    for name, s in SPECS.items():
        if names and name not in names:
            continue
        WRITERS[Path(name).suffix](HERE / name, s)
        print("wrote", name)


if __name__ == "__main__":
    main(sys.argv[1:])
