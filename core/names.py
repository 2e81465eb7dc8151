"""Synthetic but plausible Chinese personal names for demo and scale data."""

from __future__ import annotations

import random

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤"
)
GIVEN_M = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国志文新春海峰庆东"
GIVEN_F = "芳娜敏静丽艳娟霞秀玲桂英华红梅兰琴云莲珍凤洁琳雪燕萍倩婷颖慧晶瑶翠荣"


def person_name(rng: random.Random, *, female: bool | None = None) -> str:
    if female is None:
        female = rng.random() < 0.5
    pool = GIVEN_F if female else GIVEN_M
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given
