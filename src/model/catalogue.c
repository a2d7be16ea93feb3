/*
 * catalogue.c - the makers netvet knows without being told.
 *
 * One row a maker: id, legal name, aliases and brands ('|'-separated),
 * country of headquarters, parent, and a public source (the maker's own
 * corporate or investor page, or its parent's announcement of the
 * acquisition).  Compiled in rather than read from a file: the table is
 * data the program needs wherever it runs, it is never input an attacker
 * controls, and so there is no file to find and no parser to harden.
 * Parents come before their subsidiaries.  No designations here: those
 * are for lists and policies to give.  tests/unit/test_model.c checks
 * that every row has a source, a valid country and a known parent.
 */
#include "model/catalogue.h"

static const struct nv_catalogue_row rows[] = {
    /* radio access, core and transport equipment */
    {"huawei", "Huawei Technologies Co., Ltd.", "Huawei|华为|华为技术有限公司",
     "CN", NULL, "https://www.huawei.com/en/corporate-information"},
    {"hisilicon", "HiSilicon Technologies Co., Ltd.", "HiSilicon|海思", "CN",
     "huawei", "https://www.hisilicon.com/en/about-us"},
    {"zte", "ZTE Corporation",
     "ZTE|中兴|中兴通讯|Zhongxing Telecommunication Equipment", "CN", NULL,
     "https://www.zte.com.cn/global/about/corporate_information.html"},
    {"ericsson", "Telefonaktiebolaget LM Ericsson", "Ericsson|LM Ericsson",
     "SE", NULL, "https://www.ericsson.com/en/about-us"},
    {"nokia", "Nokia Oyj",
     "Nokia|Nokia Networks|Nokia Solutions and Networks|Alcatel-Lucent", "FI",
     NULL, "https://www.nokia.com/about-us/"},
    {"samsung", "Samsung Electronics Co., Ltd.", "Samsung|Samsung Networks",
     "KR", NULL, "https://www.samsung.com/global/ir/"},
    {"nec", "NEC Corporation", "NEC", "JP", NULL,
     "https://www.nec.com/en/global/about/"},
    {"fujitsu", "Fujitsu Limited", "Fujitsu", "JP", NULL,
     "https://www.fujitsu.com/global/about/"},
    {"mavenir", "Mavenir Systems, Inc.", "Mavenir", "US", NULL,
     "https://www.mavenir.com/company/"},
    {"parallel-wireless", "Parallel Wireless, Inc.", "Parallel Wireless", "US",
     NULL, "https://www.parallelwireless.com/company/"},
    {"ceragon", "Ceragon Networks Ltd.", "Ceragon", "IL", NULL,
     "https://www.ceragon.com/about-us"},
    {"comba", "Comba Telecom Systems Holdings Limited", "Comba|京信通信", "CN",
     NULL, "https://www.comba-telecom.com/en/about-us"},
    {"hytera", "Hytera Communications Corporation Limited", "Hytera|海能达",
     "CN", NULL, "https://www.hytera.com/en/about-us"},
    {"motorola-solutions", "Motorola Solutions, Inc.",
     "Motorola Solutions|Avigilon", "US", NULL,
     "https://www.motorolasolutions.com/en_us/about.html"},
    {"quectel", "Quectel Wireless Solutions Co., Ltd.", "Quectel|移远通信",
     "CN", NULL, "https://www.quectel.com/about-us/"},
    {"fibocom", "Fibocom Wireless Inc.", "Fibocom|广和通", "CN", NULL,
     "https://www.fibocom.com/en/about/"},
    /* routing, switching and security */
    {"cisco", "Cisco Systems, Inc.", "Cisco|Cisco Systems", "US", NULL,
     "https://www.cisco.com/c/en/us/about.html"},
    {"hpe", "Hewlett Packard Enterprise Company",
     "HPE|Hewlett Packard Enterprise|Aruba|Aruba Networks", "US", NULL,
     "https://www.hpe.com/us/en/about.html"},
    {"juniper", "Juniper Networks, Inc.", "Juniper|Juniper Networks", "US",
     "hpe",
     "https://www.hpe.com/us/en/newsroom/press-release/2025/07/"
     "hpe-completes-acquisition-of-juniper-networks.html"},
    {"arista", "Arista Networks, Inc.", "Arista|Arista Networks", "US", NULL,
     "https://www.arista.com/en/company/company-overview"},
    {"extreme", "Extreme Networks, Inc.", "Extreme Networks", "US", NULL,
     "https://www.extremenetworks.com/about-extreme-networks"},
    {"ribbon", "Ribbon Communications Inc.", "Ribbon|Ribbon Communications",
     "US", NULL, "https://ribboncommunications.com/company"},
    {"f5", "F5, Inc.", "F5|F5 Networks", "US", NULL,
     "https://www.f5.com/company"},
    {"fortinet", "Fortinet, Inc.", "Fortinet|FortiGate", "US", NULL,
     "https://www.fortinet.com/corporate/about-us/about-us"},
    {"palo-alto", "Palo Alto Networks, Inc.", "Palo Alto Networks", "US", NULL,
     "https://www.paloaltonetworks.com/about-us"},
    {"check-point", "Check Point Software Technologies Ltd.",
     "Check Point|Checkpoint", "IL", NULL,
     "https://www.checkpoint.com/about-us/company-overview/"},
    {"h3c", "New H3C Technologies Co., Ltd.", "H3C|New H3C|新华三", "CN", NULL,
     "https://www.h3c.com/en/About_Us/"},
    {"ruijie", "Ruijie Networks Co., Ltd.", "Ruijie|锐捷网络", "CN", NULL,
     "https://www.ruijienetworks.com/about-ruijie"},
    {"mikrotik", "SIA Mikrotikls", "MikroTik|Mikrotikls", "LV", NULL,
     "https://mikrotik.com/aboutus"},
    {"ubiquiti", "Ubiquiti Inc.", "Ubiquiti|UniFi", "US", NULL,
     "https://www.ui.com/about"},
    {"zyxel", "Zyxel Communications Corporation", "Zyxel", "TW", NULL,
     "https://www.zyxel.com/global/en/about-us"},
    {"d-link", "D-Link Corporation", "D-Link|DLink", "TW", NULL,
     "https://www.dlink.com/en/about-d-link"},
    /* optical transport, fibre and cable */
    {"ciena", "Ciena Corporation", "Ciena", "US", NULL,
     "https://www.ciena.com/about"},
    {"infinera", "Infinera Corporation", "Infinera", "US", "nokia",
     "https://www.nokia.com/newsroom/nokia-successfully-completes-"
     "acquisition-of-infinera/"},
    {"adtran", "ADTRAN Holdings, Inc.", "Adtran|ADVA|ADVA Optical Networking",
     "US", NULL, "https://www.adtran.com/en/about-us"},
    {"cict", "China Information and Communication Technology Group Co., Ltd.",
     "CICT|中国信科", "CN", NULL, "https://www.cict.com/"},
    {"fiberhome", "FiberHome Telecommunication Technologies Co., Ltd.",
     "FiberHome|Fiberhome|烽火通信", "CN", "cict",
     "https://www.fiberhome.com/about"},
    {"corning", "Corning Incorporated", "Corning", "US", NULL,
     "https://www.corning.com/worldwide/en/about-us.html"},
    {"prysmian", "Prysmian S.p.A.", "Prysmian", "IT", NULL,
     "https://www.prysmian.com/en/about-us"},
    {"yofc", "Yangtze Optical Fibre and Cable Joint Stock Limited Company",
     "YOFC|长飞", "CN", NULL, "https://en.yofc.com/about"},
    {"hengtong", "Jiangsu Hengtong Optic-Electric Co., Ltd.",
     "Hengtong|亨通光电", "CN", NULL, "https://www.hengtonggroup.com/en/"},
    /* IT: servers, chips, software */
    {"ibm", "International Business Machines Corporation", "IBM", "US", NULL,
     "https://www.ibm.com/about"},
    {"dell", "Dell Technologies Inc.", "Dell|Dell EMC", "US", NULL,
     "https://www.delltechnologies.com/en-us/about-us/index.htm"},
    {"intel", "Intel Corporation", "Intel", "US", NULL,
     "https://www.intel.com/content/www/us/en/company-overview/"
     "company-overview.html"},
    {"broadcom", "Broadcom Inc.", "Broadcom", "US", NULL,
     "https://www.broadcom.com/company/about-us"},
    {"vmware", "VMware LLC", "VMware", "US", "broadcom",
     "https://investors.broadcom.com/news-releases/news-release-details/"
     "broadcom-completes-acquisition-vmware"},
    {"lenovo", "Lenovo Group Limited", "Lenovo|联想", "CN", NULL,
     "https://www.lenovo.com/us/en/about/"},
    {"inspur", "Inspur Group Co., Ltd.", "Inspur|浪潮", "CN", NULL,
     "https://en.inspur.com/en/about/index.html"},
    {"kaspersky", "AO Kaspersky Lab", "Kaspersky|Kaspersky Lab", "RU", NULL,
     "https://www.kaspersky.com/about/company"},
    {"siemens", "Siemens AG", "Siemens", "DE", NULL,
     "https://www.siemens.com/global/en/company/about.html"},
    {"thales", "Thales S.A.", "Thales|Thales Group", "FR", NULL,
     "https://www.thalesgroup.com/en/global/group"},
    /* video surveillance */
    {"cetc", "China Electronics Technology Group Corporation", "CETC|中国电科",
     "CN", NULL, "https://en.cetc.com.cn/"},
    {"hikvision", "Hangzhou Hikvision Digital Technology Co., Ltd.",
     "Hikvision|海康威视", "CN", "cetc",
     "https://www.hikvision.com/en/about-us/"},
    {"dahua", "Zhejiang Dahua Technology Co., Ltd.", "Dahua|大华|大华股份",
     "CN", NULL, "https://www.dahuasecurity.com/aboutUs/introduction"},
    {"uniview", "Zhejiang Uniview Technologies Co., Ltd.", "Uniview|宇视", "CN",
     NULL, "https://en.uniview.com/About_Us/"},
    {"canon", "Canon Inc.", "Canon", "JP", NULL,
     "https://global.canon/en/corporate/information/"},
    {"axis", "Axis Communications AB", "Axis|Axis Communications", "SE",
     "canon", "https://www.axis.com/about-axis"},
    {"hanwha-vision", "Hanwha Vision Co., Ltd.",
     "Hanwha Vision|Hanwha Techwin|Wisenet", "KR", NULL,
     "https://www.hanwhavision.com/en/about-us/"},
    {"bosch", "Robert Bosch GmbH", "Bosch|Bosch Security Systems", "DE", NULL,
     "https://www.bosch.com/company/"},
};

const struct nv_catalogue_row *nv_catalogue(size_t *n)
{
    *n = sizeof rows / sizeof rows[0];
    return rows;
}
