/**
 * Word lists for plausible Chinese names, addresses and pledges in the demo city. Every person
 * and phone number they produce is fictional.
 */

/** The most common surnames, roughly in order of frequency, so common ones come up more often. */
export const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗',
  '梁', '宋', '郑', '谢', '韩', '唐', '冯', '于', '董', '萧', '程', '曹', '袁', '邓', '许', '傅', '沈', '曾', '彭', '吕',
  '苏', '卢', '蒋', '蔡', '贾', '丁', '魏', '薛', '叶', '阎', '余', '潘', '杜', '戴', '夏', '钟', '汪', '田', '任', '姜',
]

/** Characters common in given names; a given name is one or two of them. */
export const GIVEN_CHARS = [
  '伟', '芳', '娜', '秀', '英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '霞',
  '平', '刚', '桂', '华', '建', '国', '玉', '兰', '红', '志', '文', '辉', '鹏', '宇', '浩', '晨', '欣', '佳', '梅', '琳',
  '海', '峰', '亮', '春', '燕', '雪', '飞', '斌', '波', '丹', '萍', '凤', '荣', '新', '利', '庆', '林', '东', '永', '德',
]

/** Roads of central Zhengzhou, used in generated addresses. */
export const ROADS = [
  '经一路', '经二路', '经三路', '经四路', '经五路', '经六路', '经七路', '经八路', '纬一路', '纬二路', '纬三路', '纬四路',
  '纬五路', '花园路', '农业路', '黄河路', '金水路', '文化路', '丰产路', '东风路', '红专路', '政七街', '南阳路', '健康路',
  '优胜南路', '农科路', '关虎屯', '丰庆路', '北林路', '未来路', '民航路', '顺河路', '紫荆山路', '杜岭街', '东明路', '银河路',
]

export const PLEDGES = [
  '有事找网格，服务零距离',
  '小事不出网格，大事不出社区',
  '随手清、即时报、全程跟',
  '群众有呼，网格必应',
  '接诉即办，件件有回音',
  '24小时在线，急事随时找我',
  '每日巡查一遍，问题当日上报',
  '用心服务每一户，用情温暖每个家',
  '矛盾纠纷早发现、早化解',
  '做群众身边的贴心人',
]

/** Grid themes (DOMAIN.md): optional labels some grids carry. */
export const THEMES = ['平安和谐网格', '红色物业示范街区', '楼宇专属网格', '文旅幸福网格']

/** District departments that respond when a street blows the whistle (街道吹哨、部门报到). Phones are public hotlines (12345 is the citizen hotline). */
export const DEPARTMENTS = [
  { code: 'CGJ', name: '金水区城市管理局', phone: '12319' },
  { code: 'GDGS', name: '国网郑州供电公司金水供电部', phone: '95598' },
  { code: 'RLGS', name: '郑州热力集团金水分公司', phone: '12345' },
  { code: 'SWJT', name: '郑州水务集团金水营业所', phone: '12345' },
  { code: 'GAFJ', name: '郑州市公安局金水分局', phone: '110' },
  { code: 'SCJG', name: '金水区市场监督管理局', phone: '12315' },
  { code: 'ZJJ', name: '金水区住房和城乡建设局', phone: '12345' },
  { code: 'HBJ', name: '郑州市生态环境局金水分局', phone: '12369' },
  { code: 'YLJ', name: '金水区园林绿化中心', phone: '12345' },
  { code: 'JTDD', name: '金水交警大队', phone: '122' },
  { code: 'MZJ', name: '金水区民政局', phone: '12345' },
  { code: 'SFJ', name: '金水区司法局', phone: '12348' },
]

/** Chinese numerals for ordinal names such as 第三网格. */
export function chineseNumber(n: number): string {
  const digits = '零一二三四五六七八九'
  if (n < 10) return digits[n]!
  if (n < 20) return '十' + (n % 10 ? digits[n % 10] : '')
  if (n < 100) return digits[Math.floor(n / 10)] + '十' + (n % 10 ? digits[n % 10] : '')
  return String(n)
}
