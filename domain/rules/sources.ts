/**
 * The policy sources the built-in rules cite, by short name. docs/policy.md says what each one is, what the
 * rules take from it and whether it binds Jiangsu (sourced) or is borrowed (analogue); a value's provenance names
 * its source with one of these.
 */
export const SRC = {
  jiangsu16: '江苏16条, news summary (江苏广电总台 via 现代快报, 「江苏发布16条措施加强社区工作者队伍建设」)',
  jiangsu2019: '江苏《拓展基层干部晋升通道实施方案》(2019) §7–§8: http://tech.jiangsulong.com/a/2019/0725/1564062581_5.html',
  bands: 'https://m.jiusongjiankang.com/health/news/4427875.html',
  promotion: 'https://m.jiusongjiankang.com/health/news/4468058.html',
  degrees: 'https://www.educity.cn/shgzz/5369671.html',
  publicInstitutionAssessment: '事业单位 assessment consequences: https://78911.com.cn/GuoJiaZhengCe/646168-6.html',
  jilin: 'Jilin 2014, civil service from 村/社区干部: http://56china.com/2014/0308/97191.html',
  jixi: 'Jixi 2021, 事业编 from community workers: http://m.zxedu.cn/html/12-210507.html',
  jiangyin: 'Jiangyin 2019: http://jybb.jiangyin.gov.cn/doc/2019/09/09/795654.shtml',
  civilServiceLaw: '《公务员法》 as quoted at http://crsrw.com/qiyezixun/114865.html',
  publicInstitution: 'https://m.gwy.com/sydw/96009.html',
  nationalCommendation: '民政部 2022: http://cdcn.org.cn/article/16423',
  provincialAward: 'http://www.fymate.net/html/text/lar/168284/16828453_2.html',
  hunanClearing: 'Hunan 2023: https://hn.rednet.cn/content/646743/69/13089237.html',
  jilinClearing: 'Jilin: http://49.213.3.35/doc/7_0_105815152_1.html',
  ccdiClearing:
    '中央纪委国家监委《关于做好失实检举控告澄清工作的意见》(2020): http://gdstc.gd.gov.cn/ztzl_n/pzjd/lzqf/content/post_3014624.html',
  yanchengClearing: 'Yancheng 2025 (Jiangsu): https://m.163.com/local/article/KJQH1UGT0535QMO1.html',
  changning: '昌宁县 容错 procedure: http://qdubb.cn/html/2016/tiewanfanfu_1023/21644.html',
  nanyang: 'Nanyang 2023: https://zjyq.nanyang.gov.cn/2023/01-07/71128.html',
  toleranceConditions:
    'The conditions of 容错: https://m.pouringspot.com/swt/sccom/c109022/2024/6/11/1fb8699511d148e9b90d98faa81e0fa8.shtml',
  wuhan: 'Wuhan 《社区工作者管理办法》(2020): http://meili43.com/yule/2020/0407/206366.html',
  dalian: 'Dalian 《社区工作人员管理办法》: https://www.zgsqks.com/2017/xw_0914/4559_4.html',
  cadreSelection: '《党政领导干部选拔任用工作条例》, chapter 讨论决定: https://22.wendadaohang.com/zd/Xf6Xf66IC0C0Xf266f.html',
  governmentSanctions:
    '《公职人员政务处分法》 (2020) 第八条, 第二十二条: http://www.jianbiaoku.com/webarbs/book/164627/4715176.shtml ; https://gjjwjc.gov.cn/details/ytsp/19099.html',
  partyDiscipline: '《中国共产党纪律处分条例》 (2023) 第十条至第十二条: https://jxsxkyy.cn/info/1370/5342.htm',
  residentsCommitteeLaw: '《城市居民委员会组织法》 (2018) 第十条: https://law148.com/fagui/QMYLpS5Q.html',
  civilServiceAssessment: '《公务员考核规定》(2020), on the share of 优秀 (一般掌握在参加年度考核人数的20%以内)',
  civilServiceLawReview:
    '《公务员法》(2018) 第九十五条: 复核 within 30 days of learning of a personnel decision; the body decides within 30 days',
  beijingAssessmentReview: 'Beijing 东城 draft, 复核 of assessment results: https://renrendoc.com/paper/214931961.html',
  provincialSecondment:
    'Provincial rule on 借调 by party and government bodies (province not shown): http://hnz0974.com/forum.php?mod=viewthread&ordertype=2&tid=1505',
  maanshan: 'Disciplinary caps on assessments: https://www.jhzxd.com/big5/maanshan_149406',
} as const;

export type SourceName = keyof typeof SRC;
