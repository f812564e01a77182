"""The words the extractor reads: metric verbs, scope, target and bound cues, what is not a volume.

All patterns run on lower-cased text and are compiled once at import.
"""

from __future__ import annotations

import re
from functools import lru_cache

METRIC_RES = {
    "deliveries": re.compile(r"deliver\w*|hand(?:ed|s|ing)?[\s-]?over\w*|handovers?|交付|交车"),
    "sales": re.compile(r"\bsold\b|\bsales?\b|\bsell(?:s|ing)?\b(?!-side)|wholesale\w*|retail\b|shipments?|\bshipped\b"
                        r"|\bd[ei]spatch(?:es|ed)\b"
                        r"|registrations?|销量|销售|售出|批发|零售"),
    "production": re.compile(r"produc(?:ed|es|ing|tion)\b|rolled off|roll(?:s|ed)? off|came off|comes? off|"
                             r"off the (?:assembly |production |[\w-]+ )?line|\bleaves? the (?:[\w-]+ )?line|"
                             r"\bturn(?:s|ed)? out\b|\bbuilt\b|\bbuild(?:s|ing)?\b|"
                             r"manufactur\w*|\bcomplet(?:ed|ion)\b|\boutput\b|left the (?:assembly |"
                             r"production )?line|rolled out|\b(?:rolled|drove)\b(?= [^.;]{0,45}\b(?:out of|off) "
                             r"(?:its|the|their)\b)|"
                             r"roll-?out|下线|产量|生产"),
    "orders": re.compile(r"\borders\b|\border (?:intake|book|tally|count)|(?:firm|new|locked-in|confirmed) order\b|"
                        r"bookings?|reservations?|pre-?orders?|订单|大定"),
}
SHIPPED = re.compile(r"\bshipp(?:ed|ing)\b|\bshipments?\b")
SOLD = re.compile(r"\bsold\b|\bsales?\b|\bsell(?:s|ing)?\b(?!-side)|wholesale\w*|retail\b|\bd[ei]spatch(?:es|ed)\b|"
                  r"registrations?")
TARGET = re.compile(r"target\w*|\bgoals?\b|\baim(?:s|ed|ing)?\b|\bplans?\b|\bplanned\b|guid\w*|ambition\w*|"
                    r"objective|指引|\bseeks?\b|\bwant(?:s|ed)?\b|\bintend(?:s|ed)?\b|set out to|set itself|"
                    r"\bpledg\w*|\bpromis\w*|\bvow\w*|目标|计划|提出|力争|规划")
EXPECTED = re.compile(r"\bexpect\w*|pencil\w* in|forecast\w*|estimat\w*|project(?:s|ed|ion)|on track|on course|"
                      r"\bconsensus\b|\bthe street\b|\bstreet (?:was at|had|saw|expected)\b|\bwhisper\w*|"
                      r"on pace|poised to|head(?:ed|ing) for|\bmy guess\b|\bpreviews?\b|\bi (?:expect|reckon|think)\b|"
                      r"\b(?:my|our) (?:other |main |next )?bet\b|\bi bet\b|\b(?:my|our) model (?:had|has|shows)\b|"
                      r"\b(?:analysts?|brokerages?|banks?)\b(?=[^.;]{0,50}\b(?:see|sees)\b)|"
                      r"\bwould\b|\bcould\b|"
                      r"\bwill\b|likely|anticipat\w*|\bpredict\w*|预计|有望")
CONDITIONAL = re.compile(r"\bwould\b|\bcould\b|\bwill\b|\bmight\b")
GROWTH = re.compile(r"growth|increase|\bup\b|\brise\b|higher|more|jump|gain|增长|提升")
ACTUAL_VERB = re.compile(r"\b(?:delivered|sold|produced|built|reached|hit|posted|recorded|crossed|surpassed|"
                         r"topped|exceeded|rolled off|came off|shipped|handed over|achieved|logged|totall?ed|"
                         r"stood at|was at|were at|came to|rose|fell|grew|declined|dropped|jumped|climbed|increased|"
                         r"decreased|"
                         r"contributed|"
                         r"ended|finished|ending|finishing|closing|closed)\b")
# "the highest so far this year" ranks a month, it does not make the figure a year-to-date total
SUPERLATIVE_BEFORE = re.compile(r"\b(?:highest|lowest|best|worst|biggest|largest|strongest|weakest|smallest)\b"
                                r"[^.;]{0,30}$")
SUPERLATIVE_YTD = re.compile(r"\b(?:highest|lowest|best|worst|biggest|largest|strongest|weakest|most)\s+(?:\w+\s+)?"
                             r"(?:so far this year|this year so far|year[\s-]to[\s-]date)")
YTD = re.compile(r"year[\s-]to[\s-]date|the year's (?:running )?total|running total for the year|\bytd\b|"
                 r"so far this year|for the year so far|this year so far|"
                 r"(?:first|initial) (?!(?:six|three|6|3) months)(?:\w+ )?months|"
                 r"cumulative\w* (?:\w+ ){0,3}(?:for|in|this|of) (?:the |this )?year|"
                 r"今年以来|累计(?=.{0,6}(?:今年|1-\d+月))|"
                 r"(?:has|have)\s+(?:\w+\s+){0,2}(?:delivered|sold|produced|built|handed over)\b[^.;]{0,40}?"
                 r"\bthis year\b")
SUBJECT_LEAD = re.compile(r"^\W*(?:(?:its|the|their)\s+)?(?:[\w-]+\s+)?(?:deliveries|sales|volume|output|production|"
                          r"shipments|registrations)\b")  # "Deliveries were 16.9% higher...": the maker talked about
BULLET = re.compile(r"\s*(?:[-•*▪‣◦]|\d{1,2}[.)])\s")
EXCEED_BEFORE = re.compile(r"\b(?:to|will|would|could|should|may|might)\s+(?:\w+\s+)?(?:exceed|top|surpass|pass|beat|"
                           r"break)\s+(?:the\s+)?$")
METRIC_NOUN_BEFORE = re.compile(r"(?:deliveries|sales|volume|output|production|shipments|orders)\s+$")
UNIT_THEN_IN = re.compile(r"\s*(?:(?:vehicles|units|cars|evs|deliveries)\s+)?(?:(?:in|for|during)\s+(?:the\s+)?)?")
PARTIAL_PERIOD = re.compile(r"\bweekly\b|\b(?:in|during|for|over) the (?:\w+ )?week\b|\bweek (?:of|to|ended|ending)\b|"
                            r"\bthe (?:previous|prior) week\b|\bthe week before\b|week[\s-]on[\s-]week|"
                            r"\b(?:first|last|past) (?:\w+ )?days of\b|month-to-date|\bmtd\b|单周|周度")
TICKER_BEFORE = re.compile(r"(?:hkex|nyse|nasdaq|sgx|sse|szse|hk|stock code|ticker)\s*[:：]?\s*$|"
                           r"[(（]\s*[a-z]{2,6}(?:\.[a-z]{1,3})?\s*[:：]\s*$")  # "(HKG: 9863)", "(SZSE: 002594)"
# a difference, not a volume: "beat it by just 22 units", "仅差约2.5万"
MARGIN_BEFORE = re.compile(r"\bby\s+(?:just|only|a mere|some|about|roughly|around|nearly|almost|more than|over|"
                           r"less than)?\s*$|(?:仅?差|相差|还差|缺口)(?:约|近)?\s*$|"
                           r"\b(?:lead|gap|shortfall|difference)\b[^.;]{0,25}\b(?:came to|was|is|of|stood at)\s+"
                           r"(?:about\s+|around\s+|roughly\s+|nearly\s+|some\s+)?$")  # "its lead over NIO came to"
CAPACITY_BEFORE = re.compile(r"\b(?:output|production) potential\b|\bcapable of\b|\bcapacity (?:of|to|for)\b|"
                             r"\bcapacity\b[^.;,]{0,30}\bto\s*$")
EXPORT_BEFORE = re.compile(r"(?:overseas|export|international|foreign)\s+(?:sales|shipments|deliveries|volumes?)\b"
                           r"[^.;]{0,30}$|\bexports?\b[^.;,]{0,25}$|(?:海外|出口)\S{0,6}$")
EXPORT_AFTER = re.compile(r"\s*(?:vehicles|units|cars|evs)?\s*(?:were\s+|was\s+)?(?:shipped|exported|sold|delivered)\s+"
                          r"(?:to\s+)?(?:overseas|abroad|international|foreign)|\s*(?:vehicles|units|cars)?\s*(?:in\s+)?"
                          r"(?:exports|overseas)\b")
EXPORT_INCLUDED = re.compile(r"including (?:\w+ )?exports|incl\.? exports|exports included|"
                             r"of which[^.;]{0,40}(?:export|overseas|abroad)|含出口")
APPOSITIVE = re.compile(r"(?:\s*\([^)]{1,20}\))?,((?:[^,.;]{3,120}?)),\s*(?:which\s+|who\s+)?(?:has\s+|had\s+)?[a-z]")
VERB_IN_ASIDE = re.compile(r"\b(?:delivered|sold|produced|handed|reported|said|posted)\b")
APPOSITIVES = (APPOSITIVE, re.compile(r"(?:\s*\([^)]{1,20}\))?,((?:[^,.;]{3,120}?),(?:[^,.;]{3,120}?)),\s*"
                                      r"(?:which\s+|who\s+)?(?:has\s+|had\s+)?[a-z]"))
THIS_PERIOD = re.compile(r"(?:this|next|the current|the coming) (?:month|quarter)")
WHEN_AFTER_DATE = re.compile(r",?\s*(?:when|in which|during which)\s+(?:the company|it|they|"
                             r"(?:the\s+|its\s+)?[\w-]+)\s+(?:had\s+)?(?:delivered|"
                             r"handed over|sold|produced|built|shipped|reached|hit|came to|totall?ed|stood at|was|"
                             r"were)\b")
CAUSE_BETWEEN = re.compile(r"\b(?:as|after|because|thanks to|helped by|led by|driven by|with|despite|on)\b")
CUMULATIVE = re.compile(r"cumulativ\w*|all[\s-]time|to date|lifetime|since (?:its |the |that |their )?"
                        r"(?:launch|inception|founding|start|debut|first|\w+ (?:went|go) on sale|"
                        r"deliveries (?:began|started))|"
                        r"since (?:the company|it|the automaker|the brand) (?:began|started)|"
                        r"milestone|(?:million|000|万)\W+(?:\w+\W+)?mark\b|\bclub\b|累计|总计|第\S{1,12}台")
FULL_YEAR = re.compile(r"(?:for|in|over) the (?:full|whole|entire) year|"
                       r"(?:over|in|during) the (?:twelve|12) months\b|full[\s-]year|for the year\b(?! so far)|"
                       r"(?:end(?:ed|ing|s)?|clos(?:ed|ing|es)|finish(?:ed|ing|es)?|start(?:ed|ing|s)?|"
                       r"beg(?:an|in|ins|inning)) the year\b|"
                       r"year-end total|"
                       r"\bannual\b|\b(?:in|during) the year\b(?! so far)|全年")
MARKET = re.compile(r"\bmarket\b|\bindustry\b|nationwide|\bnational\b|\bcountry's\b|across china|china's (?:nev|"
                    r"ev|car|auto|passenger)|\bcpca\b|\bcaam\b|association|passenger[\s-]vehicles? (?:market|sales)|"
                    r"by all manufacturers|\b(?:india|europe|germany|japan|korea|the us|the u\.s\.)'s\b|全国|行业|市场")
GENERIC_SUBJECT = re.compile(r"^\W*(?:several|many|some|other|these|those|all|both|most|few|the other)\b|"
                             r"^\W*(?:together\W+)?(?:the|these|those|all)\s+(?:two|three|four|five|six|seven|eight|nine|"
                             r"ten)\b(?!\s+(?:months|quarters|years|weeks|days))|"
                             r"\b(?:upstarts|automakers|carmakers|companies|makers|brands|players|rivals|peers|"
                             r"startups|start-ups|manufacturers)\b")
GENERIC_BETWEEN = re.compile(r"\b(?:the other (?!way|hand|side|direction)\w+|the others|the rest|"
                             r"(?:several|many)(?!\s+(?:brokers|analysts|investors|observers|people|banks|economists|"
                             r"times|months|years|weeks|days))|other (?:automakers|brands|"
                             r"makers|carmakers|upstarts)|(?:automakers|carmakers|manufacturers|makers|(?<!its )brands|"
                             r"companies|upstarts|start-ups|players|rivals|peers)\b)")  # "its brands": the maker's own
WE_REF = re.compile(r"\b(?:we|our|us)\b")  # in quoted speech: the speaker's company
SUBJECT_REF = re.compile(r"\b(?:it|its|they|their|the (?:[\w-]+ ){0,2}?(?:company|automaker|carmaker|brand|group|firm|"
                         r"maker|ev maker|startup|start-up|manufacturer|alliance|marque))\b|该公司|公司")
# Verbs of crossing a threshold, shared by the extractor's cues and the checker's (evpace.check.patterns)
CROSS = "clear|reach|cross|hit|surpass|pass|top|join"
CROSSED = "cleared|reached|crossed|hit|surpassed|passed|topped|joined"
RANK = re.compile(r"\b(?:the )?(?:first|second|third|fastest|only|last)\b[\w\s-]{0,40}\bto (?:" + CROSS +
                  r"|deliver more|build|produce|deliver|sell|make)\b")
NEGATED = re.compile(r"(?:n't|\bnot\b|\bnever\b|\byet to\b|\bfailed to\b|\bshort of\b|\bno longer\b|未)[^.;]{0,40}$")
ASPIRATION = re.compile(r"within sight|in sight|closing in on|\bnearing\b|edg\w+ closer|\bapproaching\b|"
                        r"on the verge|within reach")
CAPACITY = re.compile(r"capacity|can (?:build|produce|make|assemble|carry|hold|transport)|"
                      r"able to (?:build|produce)|designed to (?:build|"
                      r"produce)|(?:a|per) year\b|annually|产能")
MILESTONE_VERB = re.compile(r"(?:reach\w*|hit(?:s|ting)?|cross\w*|surpass\w*|pass(?:ed|es|ing)?|top(?:s|ped|ping)?|"
                            r"exceed\w*|br[eo]ak\w*|clear\w*|join\w*|past|beyond|突破|达到)\W+(?:\w+\W+){0,3}$")
AS_OF = re.compile(r"(?:\bby|\bas of|\bas at|\buntil|\btill)\s+(?:the\s+)?(?:end\s+of\s+)?$")
EVENT_BEFORE_DATE = re.compile(r"(?:issued|announced|released|reported|published|said|set|given|gave|adopted|"
                               r"trimmed|cut|raised|lifted|revised|lowered|unveiled|launched|relaunched|began|"
                               r"started|entered|debuted|"
                               r"went on sale|introduced|confirmed|disclosed|told)\s+(?:[\w,-]+\s+){0,3}(?:in|on|"
                               r"at|during)\s+(?:the\s+)?(?:end\s+of\s+|start\s+of\s+)?$")
SINCE_BEFORE_DATE = re.compile(r"(?:\bsince|\bcounting from|\bafter\s+(?:[\w'’]+\s+){0,3}(?:first|started|began|"
                               r"delivered))\s+"
                               r"(?:[\w-]+\s+){0,8}(?:in|on)?\s*$")
DURATION_AFTER = re.compile(r"^\s*(?:after|since|from|of)\b")
NOW = re.compile(r"\bto date\b|so far|\bnow\b|currently|as of (?:now|today)|\bstands? at\b|"
                 r"\bha(?:s|ve) (?:so far )?(?:delivered|sold|produced|built|handed over)\b")  # present perfect
EVENT_AFTER_DATE = re.compile(r"\s*(?:上调|下调|发布|公布|宣布|推出|上市)")
COMPARED_TARGET = re.compile(r"\b(?:beat|beats|beating|exceed\w*|missed|miss|surpass\w*|fell short|short of|"
                             r"ahead of|behind|topped)\b")
CALENDAR_YEAR = re.compile(r"\bcy\s?(20\d\d)\b")
SAME_DAY = re.compile(r"same day|that day|the same time|on that date|the same (?:vehicle|car|unit)|当天|同日")
NOT_VOLUME_AFTER = re.compile(
    r"\s*(?:-|\s)?(?:(?!vehicles|units|cars|"
    r"evs)[\w\x22\u201c\u201d'-]+\s+(?:and\s+[\w-]+\s+)?){0,3}(?:stations?|stores?|stalls?|"
    r"robots?|"
    r"outlets?|showrooms?|cities|countries|markets|employees|staff|workers|engineers|patents|chargers?|piles|"
    r"kilometers?|kilometres?|km|miles|people|users|owners|customers|members|shares|seats|hours|minutes|seconds|"
    r"yuan|dollars|euros|times|percent|models|trims|variants|lines|plants|factories|suppliers|followers|views|"
    r"likes|pages|tops|chips|horsepower|hp|nm|kw|kwh|mah|gb|tb|pixels|inches|liters|litres|tons|tonnes|kg|"
    r"volts?|v|swaps|charges|orders? backlog|applications|signatures|votes|downloads|partners|dealers|points|"
    r"you|respondents|readers|subscribers)\b|"
    r"\s*(?:匹|千瓦|公里|千米|度电|座|家|个|万元|元)",
    re.IGNORECASE)
COUNT_NOUN = re.compile(r"\b(?:(?P<other>stations|stores|store openings|chargers|charging piles|piles|showrooms|"
                        r"outlets|service cent(?:er|re)s|dealers|dealerships|employees|staff|workers|engineers|patents|"
                        r"users|members|followers|cities|countries)|(?P<vehicle>vehicles?|units?|cars?|evs?|nevs?|"
                        r"suvs?|sedans?|deliveries|delivered|sales|sold|orders|output|produced|built|volume|"
                        r"models?|trucks?|registrations))\b")
PERCENT_SKIP = re.compile(r"^\s*(?:market )?(?:share|stake|margin|penetration|rate|discount|interest|owned|equity|"
                          r"of (?:the|its|their|total|all|china|nio|\w+-brand)|gross|net|profit|tariff|tax|"
                          r"down payment|(?:higher|lower) on(?![\s-](?:year|month|the year|the month|quarter))|"
                          r"in (?:hong kong|new york|pre-market|trading)|"
                          r"of (?:you|respondents|readers|those (?:surveyed|polled))|"
                          r"(?:want|say|said|think|believe)\b)",
                          re.I)
PERCENT_SKIP_BEFORE = re.compile(r"(?:account(?:ed|ing|s)? for|represent\w*|share of|stake of|margin of|making up|"
                                 r"made up|make up|comprising|penetration of|rate of|shares? (?:\w+ )?(?:rose|fell|"
                                 r"gained|lost|slipped|jumped|climbed|closed|dropped|risen|were up|were down)|"
                                 r"stock (?:rose|fell|gained|lost|jumped|closed)|have (?:risen|fallen|gained))\s*"
                                 r"(?:about |around |roughly |nearly |over |more than |by )?$|"
                                 r"(?:已?完成|达成)了?(?:约|近)?$", re.I)  # "已完成约80%": a share of a target
DOWN = re.compile(r"\b(?:down|fell|fall(?:s|ing)?|decline\w*|decrease\w*|dropp?\w*|lower|slid\w*|slump\w*|plung\w*|"
                  r"shrank|shrink\w*|slipp?\w*|contract\w*|dipp?\w*|tumbl\w*|below|less than|fewer)\b|"
                  r"下降|下滑|减少|同比减")
YOY = re.compile(r"year[\s-]on[\s-]year|year[\s-]over[\s-]year|\byoy\b|\by/y\b|(?<!year )\bon-year\b|"
                 r"from a year (?:earlier|ago)|(?:same|year-ago) (?:month|period|quarter)|a year (?:earlier|ago)|"
                 r"last year's|on the year\b|同比")
MOM = re.compile(r"month[\s-]on[\s-]month|month[\s-]over[\s-]month|\bmom\b|\bm/m\b|from the previous month|"
                 r"\ba month (?:earlier|before|ago)\b|"
                 r"previous month|sequential\w*|on the month\b|"
                 r"\b(?:from|than(?: in)?|above|below|over|versus|vs\.?|compared with|on|level with|in line with) "
                 r"(?:an? (?:[a-z]+ )?)?(?:january|february|march|april|may|june|july|august|september|october|"
                 r"november|december)\b|环比")
QOQ = re.compile(r"quarter[\s-]on[\s-]quarter|quarter[\s-]over[\s-]quarter|\bqoq\b|\bq/q\b|from the previous quarter|"
                 r"previous quarter")
VS_YEAR = re.compile(r"\b(?:compared (?:with|to)|over|on|from|than|versus|vs\.?|against|above|below)\s+"
                     r"(?:[^.;%\d]{0,50}?\b)?(?:(\d{4})(?!\d)|"
                     r"(last year|the previous year|a year earlier|the prior year|the year before))")
DURATION_UNIT = re.compile(r"^[\s-]*(?:calendar |full |straight )?(?P<pre>and[ -]a[ -]half[ -])?"
                           r"(?P<unit>months?|days?|years?|weeks?|decades?)(?P<post>[ -]and[ -]a[ -]half)?\b|"
                           r"^(?P<zh>天|个多?月|年多?)", re.I)
ZH_DURATION_UNIT = {"天": "days", "个月": "months", "个多月": "months", "年": "years", "年多": "years"}
UP = re.compile(r"\b(?:up|rose|rise|rising|grew|grow\w*|gain\w*|increase\w*|jump\w*|climb\w*|higher|more|surg\w*|"
                r"soar\w*)\b|增长|上升|提升|增加")
YEARS_AND_MONTHS = re.compile(r"^[\s-]*years?\s+and\s+(\w+)\s+months?", re.I)
PAST = re.compile(r"(?:past|last|next|coming|previous|recent|first|following)\s+$")
DURATION_CUE = re.compile(r"用了|仅用|只用|历时|花了|took|taking|take[sn]?|needed|need(?:s|ing)?|within|spent|"
                          r"\bin (?:just|only|under|less than|"
                          r"about|roughly|around|some)\b|\bover (?:just|only|about|roughly|some)?\s*$|用时|耗时|"
                          r"(?:came|reached|got there)\s+(?:\w+\s+){0,2}$")
DURATION_TO = re.compile(r"^\s*(?:to|before)\s+(?:reach|climb|go|hit|cross|get|deliver|produce|build|pass|top|add|"
                         r"make|move|achieve|accumulate|roll)")
FROM_START = re.compile(r"first deliver\w*|from (?:its |the )?(?:launch|start|debut|inception)|since (?:its |the )?"
                        r"(?:launch|start|debut|first)|\bthe first\b|after (?:the |its )?first|of (?:its |"
                        r"the )?launch|after (?:its |"
                        r"the )?launch")
FROM_BEFORE = re.compile(r"\b(?:from|after)\s+(?:the\s+|its\s+)?$|从第?$")
TO_BEFORE = re.compile(r"(?:\bto|reach\w*|hit|cross\w*|pass\w*|top\w*|clear\w*|\bof|\bfirst)\s+(?:the\s+|its\s+|"
                       r"their\s+)?"
                       r"(?:first\s+)?$|(?:到|至)第?$|前$")
CLAUSE_BREAK = re.compile(r";|\bwhile\b|\bwhereas\b|, but\b|, and\b| but | compared with |, versus ")
MONTHLY = re.compile(r"\bmonthly\b|in a single month|\ba month\b|per month|单月|月度")
ZH_MONTH_RANGE = re.compile(r"(\d{1,2})\s*[-—–~至到]\s*(\d{1,2})\s*月")
METRIC_NOUN_AFTER = re.compile(r"^[\s-]*(?:\w+\s+)?(?:deliveries|sales|volumes?|output|production|shipments|orders|"
                               r"despatches|dispatches)\b")
LOWER_VERB_BEFORE = re.compile(r"(?:cross(?:es|ed|ing)?|pass(?:es|ed|ing)?|break(?:s|ing)?|broke|top(?:s|ped|ping)?|"
                               r"surpass\w*|exceed\w*)\s+$")
RANGE_TAIL = re.compile(r"\s*(?:to|-|–|—|-to-|and)\s*\d[\d,.]*(?:\s*(?:million|m|k|lakh)\b)?")
RANGE_BETWEEN = re.compile(r"^\s*(?:to|-|–|—|-to-|and|~|至|到)\s*$")
COMPARISON_BEFORE = re.compile(r"(?:(?:more|less|fewer|greater|higher|lower|larger|smaller) than|beyond|exceed\w*|"
                               r"surpass\w*|above|over|topp?\w*|pass\w*|beat\w*|below|under)\s+(?:the|its|their|"
                               r"last|a|an|all of|[a-z]+'s)\s+(?:\w+\s+){0,2}$")
# "91.1% higher than in June, when NIO handed over 10,707": the base of a comparison, told with its own verb
_COMPARED_WITH = r"(?:than|from|versus|\bvs\.?|compared (?:with|to))"  # the words before a comparison's base
WHEN_BASE_BEFORE = re.compile(_COMPARED_WITH + r"(?: in)?\s+[^.;,]{1,25},\s*when\s+"
                              r"[^.;]{0,40}?(?:delivered|sold|handed over|produced|shipped)\s+"
                              r"(?:about\s+|around\s+|only\s+|just\s+)?$")
POSSESSIVE_RECORD = re.compile(r"['’]s\s+(?:record|best|peak|high|low|total|tally|figure|all-time high|previous record)"
                               r"\s+(?:of\s+)?")
EARLIER_BEFORE = re.compile(r"\b(?:previous|prior|old|former) (?:peak|record|high|best)\b[^.;]{0,20}$|"
                            r"(?:\bfrom|\bversus|\bvs\.?|compared (?:with|to)|against)\s+(?:the\s+)?"
                            r"(?:(?:same|prior|previous|year-ago) (?:quarter|month|period|half) (?:of|in|last) )?$|"
                            r"(?:\bfrom|\bthan)\s+the\s+(?:roughly|about|around|nearly|almost|some|just over|just "
                            r"under)\s+$|\bthan\s+the\s+$|"
                            r"\b(?:past|beat\w*|above|over|exceed\w*|surpass\w*|topp\w*|from|than|versus|\bvs\.?)\s+"
                            r"[a-z]+(?:'s|’s)\s+(?:(?:record|best|peak|high|low|total|tally|figure)\s+(?:of\s+)?)?$|"
                            r"(?:\bfrom|\bversus|\bvs\.?|compared (?:with|to)|against)\s+(?:the|its|their)\s+[\w-]+"
                            r"(?:\s+[\w-]+)?\s+(?:total|figure|tally|level|volume|result|count)\s+of\s+$")
# ("from its 2024 total of 139,471"; "edging past October's 70,289": the figure it is compared with)
MONTH_LIST_AFTER = re.compile(r"(?:,\s*|\s+and\s+)(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
                              r"(?:\s*,\s*|\s+and\s+)")
SAME_PERIOD = re.compile(r"\b(?:over|in|during|for) the same (?:six|three|twelve|\d+) months\b"
                         r"(?!\s+(?:of|in|last|a year))")
QUARTER_AFTER = re.compile(r"\s+quarter\b")
YEAR_AGO_LEAD = re.compile(r"\W*(?:a year (?:earlier|ago|before)|twelve months (?:earlier|ago|before)|in the same "
                           r"period (?:a year earlier|last year))\b")
YEAR_EARLIER = re.compile(r"(?:(?:in|during|for|of) )?the same (?:\w+ )?(?:months?|quarter|period|half)(?: of| in)? "
                          r"(?:last year|the previous year|the prior year|a year (?:ago|earlier|before)|"
                          r"(?<=of |in )(?P<year>(?:19|20)\d\d)(?!\d))|"
                          r"\ba year (?:ago|earlier|before)\b|\bthe year before\b|"
                          r"\bthe year[- ]ago (?:month|quarter|period)|去年同期")
# "the 144,200 it delivered": a figure with its own verb after it; FIGURE_JUST_BEFORE: "the 58,513 of a year earlier"
OWN_VERB = r"(?:it|they|the company)\s+(?:had\s+)?(?:delivered|sold|produced|built|handed over)\b"
FIGURE_JUST_BEFORE = re.compile(r"\d(?:[\d,.]*\d)?\s*(?:k|mn|m|million|thousand|万)?\s*(?:units?|vehicles?|cars?|evs?|"
                                r"deliveries)?\s*(?:(?:that\s+)?" + OWN_VERB + r"\s+|(?:delivered|sold|handed over|"
                                r"produced|built)\s+)?(?:of\s+)?$")
# "the previous year's 293,724"
PREVIOUS_YEARS = re.compile(r"\b(?:the )?(?:previous|prior|preceding) year(?:'s|’s)\s+$")
HOST_BASE = re.compile(EARLIER_BEFORE.pattern + r"|\bthan\s+(?:the\s+)?$|\bfrom\s+[a-z]+(?:'s|’s)\s+(?:record\s+)?$|"
                       r"(?<!handed )(?<!hand )(?<!hands )"
                       r"(?<!turned )\bover\s+(?:the\s+)?$")  # what a change is measured from
# "That leaves 38,375 to go", "close the gap of more than 162,000 cars": what is left, not a volume
REMAINDER_BEFORE = re.compile(r"(?:\bleav(?:es|e|ing)|\bgap of|\bshortfall of|\bdeficit of|\bseparated by|\bapart by|"
                              r"\bmargin of)\s+(?:(?:about|around|barely|"
                              r"roughly|nearly|just|only|more than|less than|over|some|a further|another)\s+)*$")
REMAINDER_AFTER = re.compile(r"\s*(?:units?|vehicles?|cars?|deliveries)?\s*(?:(?:still\s+)?to go\b|left to\b)")
PREVIOUS_GOAL_BEFORE = re.compile(r"\bfrom\s+(?:the\s+|its\s+|their\s+)?(?:previous\s+|earlier\s+|original\s+|old\s+)?"
                                  r"(?:(?:about|around|roughly)\s+)?$")
UNTRACKED_MODEL_AFTER = re.compile(r"['’]s\s+(?:new\s+)?[A-Za-z]{1,3}-?\d{1,3}[A-Za-z+]?\b(?!\s*(?:deliveries|sales|"
                                   r"volume|total|figure|results?)\b)")
_MON3 = r"((?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\.?"
MONTHS_COMBINED = re.compile(r"\b" + _MON3 + r" and " + _MON3 + r",? (?:combined|together)\b")
WHILE_BREAK = re.compile(r",\s*(?:while|whereas)\b|;")
COMPARED_LEAD = re.compile(r"(?:compared (?:to|with)|versus|against|relative to)\s+(?:the\s+)?$")
ANNUAL_WORD = re.compile(r"\b(?:annual|full-year|full year|yearly|for the year)\b")  # "cut its annual target ... in
# September": a goal for the year, set in a month
BREAKDOWN_CUE = re.compile(r"\b(?:consisting of|including|of which|comprising|made up of)\b")
CHANGE_AFTER_LIST = re.compile(r"[^.;%]{0,60}?,\s*(?:representing|marking|up|down|an? (?:increase|decrease|rise|drop|"
                               r"fall|jump|decline))\b")
YEAR_GOAL_BEFORE = re.compile(r"\b(?:19|20)\d\d\s+(?:[\w-]+\s+){0,2}(?:target|goal|guidance|forecast|plan)\b")
FIRST_MONTH_LEAD = re.compile(r"\W*[a-z]+\.?(?:\s+(?:19|20)\d\d)?\s+was\s+the\s+(?:first|second|third|\w+th)\s+month\b")
EVENT_OF_BEFORE = re.compile(r"\b(?:arrival|launch|debut|introduction|roll-?out|addition) of\s+(?:the\s+|its\s+)?$")
TARGET_IMPLIES = re.compile(r"\b(?:target|goal|range|guidance)\b[^.;]{0,25}\b(?:implies|implied|means|requires|would "
                            r"mean|represents?)\b[^.;]{0,40}$")
STREAK = re.compile(r"\b(?:consecutive|straight|successive)\s+months?\b|\bmonths?\s+in\s+a\s+row\b")
GAP_AFTER = re.compile(r"\s*(?:units?|vehicles?|cars?|deliveries)?\s+(?:short of|shy of|(?:behind|ahead of) (?:where|"
                       r"its|the|last|a year))\b")
# "The top of that range would take the full-year total to about 162,000": our arithmetic, not a figure
WOULD_TAKE = re.compile(r"\bwould (?:take|bring|lift|push)\b[^.;]{0,50}(?<!close )\bto\s+(?:about\s+|around\s+|"
                        r"roughly\s+)?$")  # (a run rate that "would put annual output close to 600,000" is expected)
PER_DAY_AFTER = re.compile(r"\s*(?:[\w-]+\s+){0,3}?(?:a|per) day\b")  # "about 250 cars a day": a rate
PER_MONTH_AFTER = re.compile(r"\s*(?:cars|vehicles|units|deliveries)? ?(?:a|per) month\b")
AVERAGE_BEFORE = re.compile(r"\baverag\w*\b[^.;]{0,80}$")
# "Our tally of the five start-ups comes to a little over 916,000": the writer's own sum, not a reported figure
OUR_ARITHMETIC_LEAD = re.compile(r"\W*(?:by|on|according to) (?:our|my) (?:own )?(?:arithmetic|count|calculations?|"
                                 r"reckoning|maths?)\b")  # "By our arithmetic, reaching the new goal requires ..."
OUR_ARITHMETIC_AFTER = re.compile(r"[^.;]{0,40}?,\s*(?:by|on|according to) (?:our|my) (?:own )?(?:count|arithmetic|"
                                  r"calculations?|reckoning|tally)\b")  # "about 2.98 million vehicles, by our count"
OUR_ARITHMETIC = re.compile(r"\bour (?:own )?(?:tally|count|calculations?|arithmetic|sum)\b[^.;]{0,90}$")
PER_YEAR_AFTER = re.compile(r"\s*(?:cars|vehicles|units)? ?(?:a|per) year(?! (?:ago|earlier|before))")
# "a rise of 70% on 2023", "44.5% on the same period of 2024"
PERCENT_ON_BASE = re.compile(r"(?:%|percent|per cent)\s+(?:\w+\s+)?on\s+(?:the\s+|an?\s+)?(?:(?:same|prior|previous|"
                             r"year-ago)\s+(?:quarter|months?|period|half)\s+(?:of|in|last)\s+)?$")
TYPICAL_PERIOD_AFTER = re.compile(r"\s*(?:units?|vehicles?|cars?)?\s*(?:in|during)\s+(?:a|an)\s+(?:typical|average|"
                                  r"normal|good|bad|usual)\s+(?:month|quarter|week|year)")  # an average, no period
# "of which 10,219 came from the NIO brand", "13,735 from the NIO brand and 6,840 from ONVO"
FROM_MAKER_AFTER = re.compile(r"\s*(?:units?|vehicles?|cars?)?\s*(?:(?:came|come|were|was)\s+)?from\s+(?:the\s+)?$")
FORMER_LATTER = re.compile(r"\bthe (former|latter)(?:'s|’s)?\b")
# "fell well short of its fourth-quarter total", "flat on Jan"
DATE_BASE_BEFORE = re.compile(r"(?:short of|ahead of|behind|exceed\w*|beat\w*|surpass\w*|topp\w*|past|times)\s+"
                              r"(?:its|the|their)\s+$|\b(?:flat|unchanged|up|down|higher|lower)\s+on\s+$|"
                              r"\b(?:double|triple|twice|half|quadruple)\s+(?:the|its|their)\s+$")
# "203,938 in the first half and 202,405 in the second"
NEXT_OF_LIST = re.compile(r"\b(?:in|during|for) the (second|third|fourth)\b(?!\s*(?:-|quarter|half|month|year|week|"
                          r"day|time|largest|biggest|best|place))")
# "a ship that can carry 9,200 vehicles"
CARRY_BEFORE = re.compile(r"\bcan (?:carry|hold|transport|seat|accommodate|store)\s+(?:up to\s+|about\s+|"
                          r"around\s+|some\s+|more than\s+)?$")
# "230.4% more than in May last year", "2.2% below the 72,573 of May": the word right after decides the sign
DIRECTION_RIGHT_AFTER = re.compile(r"\s*(more|higher|above|larger|bigger|less|lower|fewer|below|smaller)\b"
                                   r"(?= than| the| a year| on| in)")
CHANGE_WORD_AFTER = re.compile(r"\s*(?:(?:year|month|quarter)[\s-](?:on|over)[\s-](?:year|month|quarter)|yoy|y/y|"
                               r"mom|m/m|qoq|q/q|on-year|on-month)?\s*")
PERIOD_OF_CHANGE = re.compile(r"\s*(?:(?:year|month)[\s-](?:on|over)[\s-](?:year|month)\s+)?(?:(?:fall|rise|drop|"
                              r"increase|decline|growth|jump|gain|slump|decrease)\s+)?(?:in|for|during)\s+")
TICKER_AFTER = re.compile(r"\.(?:hk|sz|ss|sh|us|n|o)\b")  # "Xiaomi (1810.HK)"
CONSENSUS = re.compile(r"\bconsensus\b|\bstreet\b|\bbrokers?\b|\bbrokerages?\b|\banalysts?\b|\bpreviews?\b")
# "(2023: 947,742)", "(2023: about 144,200)": the year before, in passing
LABELLED_BEFORE = re.compile(r"[(（]\s*[^()（）]{1,12}[:：]\s*(?:about|around|roughly|nearly|almost|over|more than|"
                             r"some|~)?\s*$")
# "4.6 million NEVs (2024: 4.27 million)": the prior year's figure labelled after this year's
PRIOR_YEAR_LABEL = re.compile(r"\s*(?:[A-Za-z-]+\s+){0,2}?\(\s*((?:19|20)\d\d)\s*[:：]")
ALONE_BEFORE = re.compile(r"\b(?:in|during|for)\s+[\w.]+(?:\s+\d{4})?\s+alone\b[^.;]*$")  # "In December alone it ..."
THE_QUARTER = re.compile(r"\b(?:(?:for|in|during|over) the quarter\b(?!\s+(?:to|ended|ending|through|ahead|before|"
                         r"after))|the quarter(?= as a whole))|"
                         r"^\W*the quarter(?:'s|’s)?(?!\s+(?:to|ended|ending|through|ahead|before|after)\b)(?=\s)")
# ("The quarter still grew 19.6% to 111k": the quarter of the month just reported)
ORDERS_ONLY = re.compile(r"\borders\b|bookings|reservations")  # "7X orders look healthy": an aside, no new metric
TIMESTAMP_LEAD = re.compile(r"\W*(?:[01]?\d|2[0-3])[:.][0-5]\d\b")  # "**13:30** Zeekr delivered ..."
BRANDS_AFTER = re.compile(r"\W*(?:brands?|marques?)\b")
LIST_GAP = re.compile(r"\s*(?:,|,?\s*and|&)\s*(?:the\s+)?")
# a sentence with no figure that talks about a period dates what follows ("December itself was the busiest month")
# "XPeng's 2025 was ...", "For the company's 2024, ...": a maker's year as the sentence's topic (not "published
# figures for the alliance's 2024 volume disagree")
POSSESSIVE_OPENING = re.compile(r"\W*(?:[^:.]{1,30}:\s*)?(?:(?:for|in|over)\s+)?(?:the\s+)?"
                                r"[\w.&-]+(?:\s+[\w.&-]+){0,2}['’]s\s")
# "down 7.1% from 916,660", "up 23.5% year-on-year from 30,053": the base figure of a change
_BASE_FROM = (r"(?P<base>from\s+(?:the\s+|a\s+)?)(?!(?:19|20)\d\d\b(?![,.]\d))"  # (not "from 2023")
              r"(?:about\s+|around\s+|roughly\s+|nearly\s+)?")
CHANGE_FROM_BASE = re.compile(r"(?:%|\bpercent|\bper cent)\s+(?P<yoy>(?:year-on-year|year over year|year-over-year|"
                              r"yoy|y/y|on the year)\s+)?" + _BASE_FROM + r"[\d,.]+"
                              r"(?:\s*(?:million|m|k|lakh|units|vehicles|cars|evs))?")
TO_FROM_BASE = re.compile(r"\bto\s+(?:about\s+|around\s+|roughly\s+|nearly\s+)?\d[\d,.]*(?:\s*(?:million|m|k|lakh|"
                          r"units|vehicles|cars|evs))?\s+" + _BASE_FROM + r"\d[\d,.]*")  # "to 141,601 from 120,757"
LEVEL_FROM_BEFORE = re.compile(r"\b(?:up|down|rose|fell|climbed|dropped|increased|decreased|slipped)\s+from\s+"
                               r"(?:about\s+|around\s+|roughly\s+)?$")  # "41% of that, up from 27%": a level
DATE_RIGHT_AFTER_FIGURE = re.compile(r"\s*(?:(?:in|during|for|of|a year (?:earlier|before|ago)|last|the same|"
                                     r"a year)\b|\(|,\s*(?:when|in))")
PERIOD_TALK = re.compile(r"\bmonth\b|\bquarter\b|\bhalf\b|deliver|sales|sold|record|figures|numbers|\bdata\b|volume|"
                         r"registrations|output|production|\breport(?:s|ed)\b|\brebound|makers\b|交付|销量")
MOVED_FROM = re.compile(r"\b(?:climb\w*|rose|rising|rise[sn]?|grew|grow\w*|fell|fall\w*|dropp?\w*|increas\w*|"
                        r"decreas\w*|went|jump\w*|slipp?\w*)\s+from\s+(?:about\s+|around\s+|roughly\s+)?$")
FORECAST_FOR = re.compile(r"\b(?:forecasts?|estimates?|expectations?|consensus|projections?|guidance|outlook)\s+for\s+"
                          r"(?:the\s+)?$")
OPENING_FROM = re.compile(r"(?:^|[.!?:\n*]\s*)from\s+$")  # "From March they climbed ...": a start, not a base
DEFINITION_AFTER = re.compile(r"\s*(?:辆)?\s*(?:means|stands for|equals|is written as)\b")
DEFINITION_BEFORE = re.compile(r"\b(?:means|stands for|equals|is written as)\s+$")
WORD_COUNTS = {w: i for i, w in enumerate("two three four five six seven eight nine ten eleven".split(), 2)}
N_MONTH_TOTAL = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven)-month (?:total|tally|count|"
                           r"volume|deliveries|sales)\b")
MODEL_APPOSITIVE = re.compile(r"\b(?:its|their) (?:\w+ )?(?:car|model|vehicle|suv|sedan|product)s?,\s+(?:the\s+)?$")
FIGURE_LIST_GAP = re.compile(r"\s*(?:vehicles|units|cars)?\s*(?:,|,? and|and)\s*")
LATER_CLAUSE = re.compile(r",\s*(?:and|but|while|whereas)\s+(?:even\s+|also\s+)?[a-z]")
MONTH_TALK = re.compile(r"\b(?:a|the|its|their)\s+(?:\w+\s+)?month\b(?!\s+(?:of|before|after|earlier|ago))")
ALONE_AFTER = re.compile(r"[^.;,]{0,25}\balone\b")
# "delivered 20,575 vehicles in November: 13,735 from ...": a date right after its figure, before a colon
OWN_DATE_BEFORE_COLON = re.compile(r"\s*(?:units?|vehicles?|cars?|evs?|nevs?)?\s*(?:in|during|for)\s+(?:the\s+)?$")
LABEL_GAP = re.compile(r"[:：]\s*(?:about|around|roughly|nearly|almost|over|more than|some|~|c\.)?\s*")
# "its total for the first eleven months to 441,995": the date is the later figure's
# "293,724, and last year it nearly doubled again, to 596,555": a date opening the next clause is its figure's
CLAUSE_OPENING_DATE = re.compile(r"(?:,\s*(?:and|but|while|whereas)|;)\s*(?:in|during|for|over|by)?\s*(?:the\s+)?$")
NO_CLAUSE_BREAK = re.compile(r"[^;.]*")
RATIO_TO = re.compile(r"[\s,]*(?:(?:its|their|the)\s+)?(?:[\w-]+\s+)?(?:(?:deliveries|sales|volumes?|output|production|"
                      r"figures?|totals?)[\s,]+)?(?:that\s+year[\s,]+)?"
                      r"(?:again[\s,]*)?(?:to|at|reaching|hitting)\s+(?:about\s+|around\s+|roughly\s+|nearly\s+|"
                      r"almost\s+|more than\s+|over\s+)?")
CAUSE_BETWEEN_FIGURE_DATE = re.compile(r"\b(?:thanks to|helped by|driven by|because of|due to|on the back of|"
                                       r"boosted by|owing to|dragged down by|weighed down by)\b")
DATE_THEN_FIGURE = re.compile(r"\s*(?:as a whole\s+)?(?:to|at|of|was|were|stood at|came to|reached|hit|totall?ed)\s+"
                              r"(?:only\s+|"
                              r"just\s+)?(?:about\s+|around\s+|roughly\s+|nearly\s+|more than\s+|over\s+)?")
# "An earlier version misstated XPeng's deliveries as 30,985"; "(An earlier version ...) It also gave X as 81.8%"
RETRACTED_BEFORE = re.compile(r"\b(?:misstated|misreported|incorrectly|wrongly|erroneously|mistakenly)\b[^.;]{0,80}?"
                              r"\bas\s+$")
RETRACTED_ALSO = re.compile(r"\b(?:gave|put|listed|stated|described|reported)\b[^.;]{0,60}?\bas\s+$")
# "the ONVO brand, whose first model is the L60, for"; "HIMA, which sells cars under the AITO, Luxeed and Maextro
# names, delivered"
ASIDE = re.compile(r",\s*(?:whose|which|who)\b(?:[^;]{0,120}?,(?=\s*(?:delivered|sold|produced|handed|"
                   r"reported|posted|built|shipped|said|has|had|is|was|were|will|aims|expects|plans|reached|hit|"
                   r"crossed|accounted|for|with)\b)|[^,;]{0,80},)")
PLUPERFECT = re.compile(r"\bhad (?:\w+ )?(?:delivered|sold|produced|built|handed over|shipped)\s+(?:(?:a total of|"
                        r"just|only|some)\s+)?$")
LIST_GLUE = re.compile(r"[^.;:\d]{0,30}?(?:,\s*(?:and\s+)?|\s+and\s+)")  # "... in June and " before the next figure
SINCE_PHRASE = re.compile(r"(?:since|counting from|counted from|starting from) [^,.;]{0,60}")


_COMBINED: dict[int, re.Pattern[str]] = {}


@lru_cache(maxsize=512)
def _keyword_hits(key: int, low: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((m.start(), m.end(), m.lastgroup or "") for m in _COMBINED[key].finditer(low))


def nearest_keyword(patterns: dict[str, re.Pattern[str]], low: str, pos: int) -> str | None:
    """Name of the pattern whose match is closest to ``pos`` in ``low`` (words before weigh a little more).
    The patterns are combined into one regex with a named group each, so the text is scanned once; the
    matches of a text are kept for the next figure of the same clause."""
    key = id(patterns)
    if key not in _COMBINED:
        _COMBINED[key] = re.compile("|".join(f"(?P<{k}>{p.pattern})" for k, p in patterns.items()))
    best, best_d = None, 10**9
    for start, end, name in _keyword_hits(key, low):
        d = pos - end if end <= pos else start - pos + 5
        if d < best_d:
            best, best_d = name, d
    return best


@lru_cache(maxsize=512)
def _kind_cues(text: str) -> tuple[tuple[int, str, str], ...]:
    """(end, kind, word) of every target/expected/actual cue of ``text``."""
    return tuple((m.end(), kind, m.group(0)) for kind, pat in (("target", TARGET), ("expected", EXPECTED),
                                                               ("actual", ACTUAL_VERB)) for m in pat.finditer(text))


def kind_of(before: str, after: str, *, clause: str | None = None) -> str:
    """actual / target / expected from the cue nearest before the figure in its clause (or just after).
    A conditional ("would translate into") in a sentence about a target stays a target. With ``clause``
    (the whole clause, of which ``before`` is the start), the clause's cues are found once for all its
    figures."""
    cut = len(before)
    cues = [c for c in _kind_cues(clause) if c[0] <= cut] if clause is not None else _kind_cues(before)
    if cues:
        end, kind, word = max(cues)
        if kind == "expected" and CONDITIONAL.fullmatch(word) and any(k == "target" for _, k, _ in cues):
            return "target"
        return kind
    return "actual"


TARGET_AFTER = re.compile(r"^\s*(?:(?:vehicles?|units?|cars?|evs?|deliveries|sales)\s+)?(?:(?:annual|sales|delivery|"
                          r"full-year|volume)\s+)?(?:target|goal|objective)\b|"
                          r"^\**\s*[—–:-]\s*(?:the|its|a)\s+(?:(?:19|20)\d\d\s+)?(?:[\w-]+\s+){0,2}(?:target|goal)\b|"
                          r"^\s*(?:(?:vehicles?|units?|cars?|evs?|deliveries)\s+)?(?:\w+\s+){0,1}(?:it|they|"
                          r"the company|"
                          r"the group|management)\s+(?:had\s+|has\s+|have\s+)?(?:targeted|set|planned|aimed|promised|"
                          r"pledged|guided)\b|^\s*[辆台]?的?(?:年度|全年)?(?:销量|交付)?目标|"
                          r"^\s*(?:(?:vehicles?|units?|cars?|evs?|deliveries)\s+)?(?:[\w'’-]+\s+){1,3}(?:had|has|have)\s+"
                          r"(?:\w+ly\s+)?(?:targeted|set|planned|aimed|promised|pledged|guided|budgeted)\b|"
                          r"^\s*(?:(?:vehicles?|units?|cars?|evs?)\s+)?(?:it|they|the company|the group)\s+"
                          r"(?:was|were|is|had been)\s+(?:reported|said|thought|understood)\s+to\s+be\s+"
                          r"(?:aiming|targeting)\b|"
                          r"^\s*(?:(?:vehicles?|units?|cars?|evs?)\s+)?(?:to which|that|which)?\s*(?:[\w'’-]+\s+){0,3}"
                          r"(?:trimmed|cut|raised|lowered|revised|reduced|lifted)\s+(?:its|their|the)\s+(?:\w+\s+)?"
                          r"(?:goal|target|guidance|forecast)")
ACTUAL_AFTER = re.compile(r"^\s*(?:vehicles?|units?|cars?|evs?|deliveries)?\s*(?:that\s+|which\s+)?(?:it|they|the "
                          r"company|the group|the automaker|the brand|\w+)?\s*(?:had\s+|has\s+)?(?:delivered|sold|"
                          r"produced|handed over|built|shipped)\b")
EXPECTED_AFTER = re.compile(r"\s*(?:vehicles?|units?|cars?|evs?|deliveries)?\s*(?:that|which)\s+(?:[\w'’-]+\s+){1,6}"
                            r"(?:had\s+|have\s+|has\s+)?(?:forecast|expected|estimated|predicted|projected|"
                            r"pencil+ed in)\b")
COMPANY_ASIDE = re.compile(r"\W*the (?:[\w-]+ ){0,2}(?:company|automaker|carmaker|maker|group|firm|brand)\s*,\s*"
                           r"(?:whose|which|who)\b")
DATELINE_AFTER = re.compile(r"\s*(?:\([^)]{1,40}\))?\s*[-–—]\s")  # "BEIJING, May 1 (Asia Auto Wire) - ..."
FOR_THE_PERIOD = re.compile(r"[^.;]{0,60}?\bfor the (?:month|quarter)\b")  # "had forecast for the month"
WEEKDAY = re.compile(r"\b(?:on|as of|by|since|until) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
QUARTER_TO = re.compile(r"(?:three months|quarter) (?:to|ended|ending|through) (?:the end of )?(january|february|march|"
                        r"april|may|june|july|august|september|october|november|december)")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
THAN_THE = re.compile(_COMPARED_WITH + r"\s+(?:the|its|their)\s+$")
THAT_IS = re.compile(r"\W*(?:that|this|it)(?:'s|’s| is| was)\b")
COMPARED_BASE = re.compile(r"\b(?:from|than(?: in)?|as in|(?<!handed )(?<!hands )(?<!hand )over|"
                           r"versus|\bvs\.?|compared (?:with|to)|against|level with|"
                           r"in line with|on a par with|on par with|similar to)\s+(?:the\s+|an?\s+(?:[a-z]+\s+)?)?"
                           r"(?:(?:same|prior|previous|year-ago) (?:quarter|month|period|half) (?:(?:of|in|last) )?)?$")
BASE_FIGURE_IN = re.compile(r"\b(?:from|than|compared (?:with|to)|versus|vs\.?|over)\s+(?:the\s+)?[\d,.]+\s*(?:lakh\s+|"
                            r"million\s+|万\s*|k\s+)?(?:units?\s+|vehicles?\s+|cars?\s+)?(?:in|during|for|of)\s+"
                            r"(?:the\s+)?$")
TARGET_CONTEXT = re.compile(r"\brange\b|target|goal|guidance|aim|plan|ambition")


BASE_MONTH_AFTER = re.compile(r"^[^.;%]{0,12}?\b(?:from|than|compared (?:with|to)|over|below|above|"
                              r"versus)\b(?:[^.;%,]|[.,](?=\d)){0,40}?\b(?:january|"
                              r"february|march|april|may|june|july|august|september|october|november|december)\b"
                              r"(?!,?\s*\d{4}|\s+last year|\s+a year)")


ZH_CHANGE_BEFORE = re.compile(r"(?:同比|环比)(?:增长|增加|上升|提升|下降|下滑|减少|增|降|涨|跌)?\s*$")
# "a year-on-year growth of 110.6%", "YoY +110.6%": the cue leads straight into its figure
EN_CHANGE_BEFORE = re.compile(r"(?P<cue>year[\s-](?:on|over)[\s-]year|\byoy|\by/y|month[\s-](?:on|over)[\s-]month|"
                              r"\bmom|\bm/m|quarter[\s-](?:on|over)[\s-]quarter|\bqoq|\bq/q)\s*(?::\s*|(?:growth|"
                              r"increase|decrease|decline|rise|drop|fall|gain|jump)\s+(?:of\s+)?(?:about\s+|around\s+|"
                              r"nearly\s+|roughly\s+)?)?[+-]?$")


def change_of(around: str, pos: int, host_period: str = "", host_scope: str = "") -> str:
    """yoy / mom / qoq from the comparison cue nearest to ``pos`` (a cue after the figure weighs more); a
    named month of an earlier year ("from October 2024", "from October last year") makes it year-on-year;
    a month-on-month cue on a quarterly figure is quarter-on-quarter."""
    best, best_d, best_m = "", 10**9, None
    zh = ZH_CHANGE_BEFORE.search(around[max(0, pos - 8):pos])
    if zh:  # "同比增长62.9%，环比增长7.7%": in Chinese the cue comes right before its figure
        return "yoy" if zh.group(0).startswith("同比") else "qoq" if host_scope == "quarter" else "mom"
    en = EN_CHANGE_BEFORE.search(around[max(0, pos - 45):pos])
    if en:
        cue = en.group("cue")
        return "yoy" if cue[0] == "y" else "qoq" if cue[0] == "q" or host_scope == "quarter" else "mom"
    figure = re.match(r"[+-]?[\d.,]+\s*(?:%|percent|per cent)?", around[pos:])
    if BASE_MONTH_AFTER.match(around[pos + (figure.end() if figure else 0):]):
        return "mom"  # "down 44.2% from the 18,012 it delivered in December"
    for name, pat in (("yoy", YOY), ("mom", MOM), ("qoq", QOQ)):
        for m in pat.finditer(around):
            d = pos - m.end() + 15 if m.end() <= pos else m.start() - pos
            if d < best_d:
                best, best_d, best_m = name, d, m
    if best == "mom" and best_m is not None:
        tail = around[best_m.end():best_m.end() + 16]
        y = re.match(r",?\s*(\d{4})\b", tail)
        other_year = bool(y and host_period[:4].isdigit() and y.group(1) != host_period[:4])
        if re.match(r"\s*last year|\s*a year", tail) or other_year:
            return "yoy"
    if best == "mom" and host_scope == "quarter":
        return "qoq"
    return best

FINANCE = re.compile(r"revenue|profit|margin|income|earnings|\bshares?\b|\bstocks?\b|\bprices?\b|valuation|"
                     r"\bdut(?:y|ies)\b|\btariffs?\b|\blev(?:y|ies)\b|"
                     r"market value|"
                     r"\bcash\b|\bloss\b|ebit|gross|yuan|\brmb\b|\$(?![a-z])|€|dividend|\bstake\b|\bowns\b|industry|"
                     r"\bmarket\b|association|nationwide|\bexports? (?:for|of) the|in hong kong|in new york|pre-market|"
                     r"trading|营收|利润|毛利|股价|市值|美股|港股|a股|盘前|收涨|收跌")
VOLUME_WORD = re.compile(r"deliver\w*|\bsales\b|\bsold\b|volume|production|output|orders|shipments|wholesale|"
                         r"registrations|交付|销量|产量")
CLAUSE_END = re.compile(r";|,\s+(?:and|but|while|whereas)\s+(?:it|the|its|has|had|was|is)\b|，|；")
PORTION_BEFORE = re.compile(r"(?:the|its|their)\s+(?:latest|next|last|most recent|final|another|additional|"
                            r"following)\s+$")
DURATION_CONTEXT = re.compile(r"first deliver\w*|million|\d00,000|000th|millionth|\bmark\b|milestone|"
                              r"\bfrom \S+ to\b|launch|\bfirst\b|万|台")
# "If Xiaomi kept delivering 40,000 a month, it would end the year at about 437,000": a conditional sentence
CONDITIONAL_SENTENCE = re.compile(r"\W*(?:if|were (?:it|they|[\w-]+) to|had (?:it|they|[\w-]+) (?:simply |only )?"
                                  r"(?:matched|kept|stayed|delivered|sold|repeated|grown)|suppose|supposing|assuming|"
                                  r"imagine)\b")
TOLD_IN_PASSING = re.compile(r"\b(?:the|its)\s+$")  # "given the 48,135 it delivered in December"
TOLD_AFTER = re.compile(r"\s+" + OWN_VERB)
# "To reach 560,000, Li Auto needs ...": a goal the sentence reasons towards, not a figure it reports
PURPOSE_BEFORE = re.compile(r"^\W*(?:and\s+)?to (?:reach|hit|meet|get to|achieve|make|clear|cross|beat|top)\s+"
                            r"(?:the\s+|its\s+|their\s+)?(?:\w+\s+)?$")
HYPOTHETICAL = re.compile(r"(?:would|will|to) (?:require|need)|needs? to (?:deliver|sell|average)|would have to|"
                          r"required to|requires?\s+(?:\w+\s+){0,4}$|\bneed(?:s|ing)?\s+(?:\w+\s+){0,3}$|"
                          r"\bto average\s+(?:\w+\s+){0,2}$|"
                          r"需要|需达到|"
                          r"月均[^，。；]{0,8}$")
# "rivals from Leapmotor", "than XPeng", "behind BYD", "half of what Li Auto managed": not the new subject
NOT_SUBJECT_BEFORE = re.compile(r"(?:(?:\bfrom|such as|including|\blike|\bthan|against|versus|\bvs\.?|behind|"
                                r"ahead of|level with|on a par with|in line with|(?:arrival|launch|debut|introduction|"
                                r"roll-?out|addition) of)\s+(?:the\s+|its\s+)?|"
                                r"\b(?:of|than|to|as|with)\s+what\s+)"
                                r"(?:[\w.&'’-]+(?:\s+[\w.&'’-]+)?(?:\s*,\s*|\s+and\s+|\s+or\s+))*$")
CHANGE_NOUN = re.compile(r"\b(?:rebound|rise|fall|decline|drop|growth|jump|surge|slump|increase|decrease|"
                         r"deliveries|sales|volumes?|output|numbers|figures|record)\b")
ANSWER_LEAD = re.compile(r"\W*(?:(?:yes|no)\W+)?(?:(?:just|well|a little|slightly|only)\s+)?(?:over|under|about|around|"
                         r"roughly|nearly|almost|more than|less than|fewer than|some|close to|approximately|"
                         r"an estimated|at least)?\s*")
HEADING = re.compile(r"^\s*(?:#{1,6}\s|\*\*[^*]{1,80}\*\*\s*$)")
IMPLIED = re.compile(r"\bimpl(?:y|ies|ied|ying)\b[^.;:]{0,60}$")  # "the range implies ... roughly 63,000 a month"
RECALL = re.compile(r"\brecall(?:s|ed|ing)?\b[^.;]{0,60}$")  # "a recall, which covers about 11,400 vehicles"
BREAKDOWN_START = re.compile(r"^\W*(?:of (?:those|these|which|them|the total)|among (?:them|those|these)|"
                             r"by (?:brand|model)|"
                             r"within that)\b")
NOT_MULTIPLIER = re.compile(r"^(?:double|triple)[\s-]digit|^doubl\w* down|^double[\s-](?:check|edged|standard)")
PERCENT_TO_FIGURE = re.compile(r"^\s*(?:from\s+[^,;]{0,30}?\s+)?to\s+(?:about\s+|around\s+|nearly\s+)?$")
EVENT_RESULTS_AFTER = re.compile(r"\s*(?:results|earnings|report|call|financial|briefing|conference)\b")
EVENT_VERB_BEFORE = re.compile(r"(?:reported|announced|released|published|posted|issued)\s+(?:its\s+|the\s+)?$")
BOUND_WORD_BEFORE = re.compile(r"(?:more than|over|about|nearly|almost|at least|around|roughly|some|fewer than|"
                               r"less than|up to)\s+$")
THRESHOLD_ONLY = re.compile(r"(?:\bto|\bfrom|\bfirst|\bof|前|到|至|从)\s*(?:reach\w*\s+|hit\s+|cross\s+|pass\s+|"
                            r"get to\s+|"
                            r"deliver\s+|produce\s+|build\s+|climb to\s+)?(?:the\s+|its\s+|their\s+)?(?:first\s+)?第?$")
BARE_MONTH = re.compile(r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?")
