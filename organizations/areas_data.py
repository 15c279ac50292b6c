"""Inner Mongolia's administrative divisions (GB/T 2260 codes) for the area tree: the 12 league-level
divisions, every banner/county/district of the demo cities (Hohhot, Baotou, Chifeng), and a selection
of sub-districts and communities in them."""

REGION = ("内蒙古自治区", "Inner Mongolia", "150000")

# (code, name, English name)
CITIES = [
    ("150100", "呼和浩特市", "Hohhot"),
    ("150200", "包头市", "Baotou"),
    ("150300", "乌海市", "Wuhai"),
    ("150400", "赤峰市", "Chifeng"),
    ("150500", "通辽市", "Tongliao"),
    ("150600", "鄂尔多斯市", "Ordos"),
    ("150700", "呼伦贝尔市", "Hulunbuir"),
    ("150800", "巴彦淖尔市", "Bayannur"),
    ("150900", "乌兰察布市", "Ulanqab"),
    ("152200", "兴安盟", "Hinggan League"),
    ("152500", "锡林郭勒盟", "Xilingol League"),
    ("152900", "阿拉善盟", "Alxa League"),
]

COUNTIES = [
    ("150102", "新城区", "Xincheng District"),
    ("150103", "回民区", "Huimin District"),
    ("150104", "玉泉区", "Yuquan District"),
    ("150105", "赛罕区", "Saihan District"),
    ("150121", "土默特左旗", "Tumed Left Banner"),
    ("150122", "托克托县", "Togtoh County"),
    ("150123", "和林格尔县", "Horinger County"),
    ("150124", "清水河县", "Qingshuihe County"),
    ("150125", "武川县", "Wuchuan County"),
    ("150202", "东河区", "Donghe District"),
    ("150203", "昆都仑区", "Kundulun District"),
    ("150204", "青山区", "Qingshan District"),
    ("150205", "石拐区", "Shiguai District"),
    ("150206", "白云鄂博矿区", "Bayan Obo Mining District"),
    ("150207", "九原区", "Jiuyuan District"),
    ("150221", "土默特右旗", "Tumed Right Banner"),
    ("150222", "固阳县", "Guyang County"),
    ("150223", "达尔罕茂明安联合旗", "Darhan Muminggan United Banner"),
    ("150402", "红山区", "Hongshan District"),
    ("150403", "元宝山区", "Yuanbaoshan District"),
    ("150404", "松山区", "Songshan District"),
    ("150421", "阿鲁科尔沁旗", "Ar Horqin Banner"),
    ("150422", "巴林左旗", "Bairin Left Banner"),
    ("150423", "巴林右旗", "Bairin Right Banner"),
    ("150424", "林西县", "Linxi County"),
    ("150425", "克什克腾旗", "Hexigten Banner"),
    ("150426", "翁牛特旗", "Ongniud Banner"),
    ("150428", "喀喇沁旗", "Harqin Banner"),
    ("150429", "宁城县", "Ningcheng County"),
    ("150430", "敖汉旗", "Aohan Banner"),
]

TOWNS = [
    ("150102001", "海拉尔东路街道", "Hailar East Road Sub-district"),
    ("150102002", "锡林郭勒北路街道", "Xilingol North Road Sub-district"),
    ("150103001", "环河街街道", "Huanhe Street Sub-district"),
    ("150103002", "中山西路街道", "Zhongshan West Road Sub-district"),
    ("150105001", "大学西路街道", "Daxue West Road Sub-district"),
    ("150105002", "人民路街道", "Renmin Road Sub-district"),
    ("150202001", "和平路街道", "Heping Road Sub-district"),
    ("150203001", "少先路街道", "Shaoxian Road Sub-district"),
    ("150203002", "沼潭街道", "Zhaotan Sub-district"),
    ("150203003", "昆北街道", "Kunbei Sub-district"),
    ("150204001", "先锋道街道", "Xianfeng Road Sub-district"),
    ("150204002", "青山路街道", "Qingshan Road Sub-district"),
    ("150207001", "沙河街道", "Shahe Sub-district"),
    ("150402001", "西屯街道", "Xitun Sub-district"),
    ("150402002", "永巨街道", "Yongju Sub-district"),
    ("150402003", "站前街道", "Zhanqian Sub-district"),
    ("150404001", "振兴街道", "Zhenxing Sub-district"),
    ("150404002", "向阳街道", "Xiangyang Sub-district"),
]

COMMUNITY_NAMES = [
    ("团结社区", "Tuanjie Community"),
    ("幸福社区", "Xingfu Community"),
    ("和平社区", "Heping Community"),
    ("阳光社区", "Yangguang Community"),
    ("友谊社区", "Youyi Community"),
]

THEMES = [
    ("older_people", "Services for older people", "为老服务"),
    ("children", "Child care", "儿童关爱"),
    ("special_groups", "Help for special groups", "特殊群体帮扶"),
    ("community_safety", "Community safety", "社区安全"),
    ("other", "Other community services", "其他社区服务"),
]
