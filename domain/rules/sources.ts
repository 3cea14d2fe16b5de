/**
 * The policy sources the built-in rules cite, by short name. docs/policy.md says what each one is and what the
 * rules take from it; a value's provenance names its source with one of these.
 */
export const SRC = {
  jiangsu16: '江苏16条, news summary (江苏广电总台 via 现代快报, 「江苏发布16条措施加强社区工作者队伍建设」)',
  bands: 'https://m.jiusongjiankang.com/health/news/4427875.html',
  promotion: 'https://m.jiusongjiankang.com/health/news/4468058.html',
  degrees: 'https://www.educity.cn/shgzz/5369671.html',
  jilin: 'Jilin 2014, civil service from 村/社区干部: http://56china.com/2014/0308/97191.html',
  jixi: 'Jixi 2021, 事业编 from community workers: http://m.zxedu.cn/html/12-210507.html',
  jiangyin: 'Jiangyin 2019: http://jybb.jiangyin.gov.cn/doc/2019/09/09/795654.shtml',
  civilServiceLaw: '《公务员法》 as quoted at http://crsrw.com/qiyezixun/114865.html',
  publicInstitution: 'https://m.gwy.com/sydw/96009.html',
  nationalCommendation: '民政部 2022: http://cdcn.org.cn/article/16423',
  provincialAward: 'http://www.fymate.net/html/text/lar/168284/16828453_2.html',
  hunanClearing: 'Hunan 2023: https://hn.rednet.cn/content/646743/69/13089237.html',
  jilinClearing: 'Jilin: http://49.213.3.35/doc/7_0_105815152_1.html',
  wuhan: 'Wuhan 《社区工作者管理办法》(2020): http://meili43.com/yule/2020/0407/206366.html',
  dalian: 'Dalian 《社区工作人员管理办法》: https://www.zgsqks.com/2017/xw_0914/4559_4.html',
} as const;
