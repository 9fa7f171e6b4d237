"""The peers of the AutoML quality benchmark (bench/automl-quality.ts), run by Debian's Python.

  generate DIR [NAME...]  writes each data set (or those named) as DIR/<name>/{train,test}.csv and
                         meta.json, and prints the names as a JSON list
  peers DIR NAME         fits XGBoost's and HistGradientBoosting's defaults and a linear model on
                         train.csv, scores test.csv, and scores the engine's predictions.json too

Every model of a set is scored here, by scikit-learn's metrics, on the same test rows.
"""

import json
import os
import sys
import time

import numpy as np
import pandas as pd
import sklearn
import xgboost
from sklearn import datasets
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, f1_score, log_loss,
                             mean_absolute_error, mean_squared_error, r2_score)
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

SEED = 0


# ---------------------------------------------------------------- data sets


def bundled(loader, target, problem):
    bunch = loader()
    frame = pd.DataFrame(bunch.data, columns=[str(c).replace(" ", "_") for c in bunch.feature_names])
    if problem == "Regression":
        frame[target] = bunch.target
    else:
        frame[target] = [str(bunch.target_names[t]) if hasattr(bunch, "target_names") else str(t) for t in bunch.target]
    return frame, {"numeric": list(frame.columns[:-1]), "categorical": []}


def california_like(rows, rng):
    """Block groups as in California housing: income, age, rooms, people, place; value capped at 5."""
    income = np.clip(rng.lognormal(np.log(3.5), 0.45, rows), 0.5, 15)
    age = rng.integers(1, 53, rows).astype(float)
    rooms = np.clip(rng.lognormal(np.log(5.2), 0.25, rows) + 0.25 * (income - 3.5), 1, 30)
    bedrooms = np.clip(rooms * rng.normal(0.2, 0.02, rows), 0.5, 6)
    population = np.round(rng.lognormal(np.log(1200), 0.7, rows))
    occupancy = np.clip(rng.lognormal(np.log(2.9), 0.25, rows), 1, 12)
    # Places strung along a coast from (32.5, -117) to (42, -124.3), inland up to ~6 degrees.
    along = rng.uniform(0, 1, rows)
    inland = rng.exponential(1.2, rows)
    latitude = 32.5 + 9.5 * along + 0.3 * inland
    longitude = -117 - 7.3 * along + inland
    city = np.minimum(np.hypot(latitude - 34.05, longitude + 118.25), np.hypot(latitude - 37.77, longitude + 122.42))
    log_value = (-0.9 + 0.55 * np.log(income) + 0.45 * np.exp(-inland / 0.8) + 0.5 * np.exp(-city / 0.7)
                 + 0.004 * age - 0.06 * np.log(occupancy) + 0.03 * np.log(rooms) + rng.normal(0, 0.22, rows))
    value = np.minimum(np.exp(log_value) * 1.4, 5.00001)
    frame = pd.DataFrame({"MedInc": income, "HouseAge": age, "AveRooms": rooms, "AveBedrms": bedrooms, "Population": population,
                          "AveOccup": occupancy, "Latitude": latitude, "Longitude": longitude, "MedHouseVal": value}).round(5)
    return frame, {"numeric": list(frame.columns[:-1]), "categorical": []}


def friedman(rows, rng):
    x, y = datasets.make_friedman1(n_samples=rows, n_features=10, noise=1.0, random_state=SEED)
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(10)]).round(6)
    frame["y"] = y.round(6)
    return frame, {"numeric": list(frame.columns[:-1]), "categorical": []}


QUALITY = ["Po", "Fa", "TA", "Gd", "Ex"]


def housing_like(rows, rng):
    """A house-sales table in the manner of Ames: ~70 mixed columns, rare levels, gaps, a right-skewed price."""
    columns = {}
    log_price = np.full(rows, 11.9)
    neighborhoods = [f"N{i:02d}" for i in range(25)]
    hood_share = rng.dirichlet(np.full(25, 1.2))
    hood = rng.choice(25, rows, p=hood_share)
    hood_effect = rng.normal(0, 0.18, 25)
    columns["Neighborhood"] = np.array(neighborhoods)[hood]
    log_price += hood_effect[hood]
    overall = np.clip(np.round(5.5 + 1.4 * rng.standard_normal(rows) + 2 * hood_effect[hood]), 1, 10)
    columns["OverallQual"] = overall
    log_price += 0.09 * overall
    columns["OverallCond"] = np.clip(np.round(rng.normal(5.6, 1.1, rows)), 1, 9)
    log_price += 0.03 * (columns["OverallCond"] - 5)
    living = np.round(rng.lognormal(np.log(1450), 0.32, rows) * (1 + 0.05 * (overall - 5)))
    columns["GrLivArea"] = living
    log_price += 0.45 * np.log(living / 1450)
    lot = np.round(rng.lognormal(np.log(9500), 0.5, rows))
    columns["LotArea"] = lot
    log_price += 0.08 * np.log(lot / 9500)
    built = np.clip(np.round(2010 - rng.gamma(2.2, 17, rows)), 1872, 2010)
    columns["YearBuilt"] = built
    log_price += 0.003 * (built - 1970)
    columns["YearRemodAdd"] = np.maximum(built, np.clip(np.round(built + rng.exponential(15, rows)), 1950, 2010))
    log_price += 0.0015 * (columns["YearRemodAdd"] - built)
    basement = np.where(rng.uniform(size=rows) < 0.03, 0, np.round(living * rng.uniform(0.4, 1.0, rows)))
    columns["TotalBsmtSF"] = basement
    log_price += 0.00008 * basement
    garage_cars = np.clip(np.round(rng.normal(1.8, 0.7, rows) + 0.15 * (overall - 5)), 0, 4)
    columns["GarageCars"] = garage_cars
    columns["GarageArea"] = np.round(garage_cars * rng.normal(270, 30, rows))
    log_price += 0.05 * garage_cars
    columns["FullBath"] = np.clip(np.round(living / 900 + rng.normal(0, 0.4, rows)), 0, 4)
    columns["HalfBath"] = rng.integers(0, 3, rows).astype(float)
    columns["BedroomAbvGr"] = np.clip(np.round(living / 500 + rng.normal(0, 0.6, rows)), 0, 8)
    columns["TotRmsAbvGrd"] = np.clip(np.round(living / 250 + rng.normal(0, 1, rows)), 2, 15)
    columns["Fireplaces"] = np.clip(rng.poisson(0.6 + 0.1 * (overall - 5).clip(0), rows), 0, 3).astype(float)
    log_price += 0.04 * columns["Fireplaces"]
    frontage = np.round(np.sqrt(lot) * rng.uniform(0.5, 0.9, rows))
    columns["LotFrontage"] = np.where(rng.uniform(size=rows) < 0.17, np.nan, frontage)
    columns["MasVnrArea"] = np.where(rng.uniform(size=rows) < 0.6, 0, np.round(rng.exponential(200, rows)))
    columns["WoodDeckSF"] = np.where(rng.uniform(size=rows) < 0.5, 0, np.round(rng.exponential(150, rows)))
    columns["OpenPorchSF"] = np.where(rng.uniform(size=rows) < 0.45, 0, np.round(rng.exponential(60, rows)))
    columns["PoolArea"] = np.where(rng.uniform(size=rows) < 0.995, 0, np.round(rng.uniform(300, 700, rows)))
    columns["MoSold"] = rng.integers(1, 13, rows).astype(float)
    columns["YrSold"] = rng.integers(2006, 2011, rows).astype(float)
    log_price -= 0.02 * (columns["YrSold"] == 2009)
    for i in range(12):  # measurements that carry little or nothing
        columns[f"Misc{i}"] = np.round(rng.lognormal(3, 1, rows), 1)
    for name, effect in [("ExterQual", 0.06), ("KitchenQual", 0.07), ("BsmtQual", 0.04), ("HeatingQC", 0.02), ("FireplaceQu", 0.02), ("GarageQual", 0.01)]:
        level = np.clip(np.round(2 + 0.5 * (overall - 5.5) + rng.normal(0, 0.7, rows)), 0, 4).astype(int)
        values = np.array(QUALITY, dtype=object)[level]
        if name in ("FireplaceQu", "BsmtQual"):
            values = np.where((columns["Fireplaces"] == 0) if name == "FireplaceQu" else (basement == 0), None, values)
        columns[name] = values
        log_price += effect * (level - 2)
    choices = {
        "MSZoning": (["RL", "RM", "FV", "RH", "C (all)"], [0.78, 0.15, 0.045, 0.015, 0.01], [0, -0.08, 0.05, -0.05, -0.3]),
        "BldgType": (["1Fam", "TwnhsE", "Duplex", "Twnhs", "2fmCon"], [0.83, 0.08, 0.04, 0.03, 0.02], [0, -0.02, -0.1, -0.08, -0.1]),
        "HouseStyle": (["1Story", "2Story", "1.5Fin", "SLvl", "SFoyer", "1.5Unf", "2.5Unf", "2.5Fin"], [0.5, 0.3, 0.1, 0.045, 0.025, 0.01, 0.008, 0.012], None),
        "Foundation": (["PConc", "CBlock", "BrkTil", "Slab", "Stone", "Wood"], [0.44, 0.43, 0.1, 0.017, 0.008, 0.005], [0.05, 0, -0.05, -0.1, 0, 0]),
        "CentralAir": (["Y", "N"], [0.93, 0.07], [0, -0.12]),
        "SaleCondition": (["Normal", "Partial", "Abnorml", "Family", "Alloca", "AdjLand"], [0.82, 0.085, 0.065, 0.014, 0.008, 0.008], [0, 0.08, -0.12, -0.05, -0.05, -0.1]),
        "GarageType": (["Attchd", "Detchd", "BuiltIn", "Basment", "CarPort", "2Types"], [0.6, 0.27, 0.065, 0.015, 0.01, 0.04], [0.02, -0.04, 0.04, 0, -0.1, 0]),
        "Exterior1st": ([f"E{i}" for i in range(15)], None, None),
        "Exterior2nd": ([f"F{i}" for i in range(16)], None, None),
        "RoofStyle": (["Gable", "Hip", "Flat", "Gambrel", "Mansard", "Shed"], [0.78, 0.19, 0.01, 0.008, 0.005, 0.007], None),
        "LotShape": (["Reg", "IR1", "IR2", "IR3"], [0.63, 0.33, 0.03, 0.01], None),
        "LandContour": (["Lvl", "Bnk", "HLS", "Low"], [0.9, 0.04, 0.035, 0.025], None),
        "LotConfig": (["Inside", "Corner", "CulDSac", "FR2", "FR3"], [0.72, 0.18, 0.065, 0.03, 0.005], None),
        "Condition1": (["Norm", "Feedr", "Artery", "RRAn", "PosN", "RRAe", "PosA", "RRNn", "RRNe"], [0.86, 0.055, 0.033, 0.018, 0.013, 0.008, 0.006, 0.005, 0.002], [0, -0.05, -0.1, -0.03, 0.05, -0.05, 0.05, 0, 0]),
        "Heating": (["GasA", "GasW", "Grav", "Wall", "OthW", "Floor"], [0.978, 0.012, 0.004, 0.003, 0.002, 0.001], None),
        "Electrical": (["SBrkr", "FuseA", "FuseF", "FuseP", "Mix"], [0.91, 0.065, 0.018, 0.004, 0.003], None),
        "Functional": (["Typ", "Min2", "Min1", "Mod", "Maj1", "Maj2", "Sev"], [0.93, 0.023, 0.021, 0.01, 0.01, 0.004, 0.002], [0, -0.03, -0.03, -0.06, -0.1, -0.2, -0.3]),
        "PavedDrive": (["Y", "N", "P"], [0.92, 0.06, 0.02], None),
        "SaleType": (["WD", "New", "COD", "ConLD", "ConLI", "CWD", "ConLw", "Con", "Oth"], [0.87, 0.08, 0.03, 0.006, 0.004, 0.004, 0.003, 0.002, 0.001], [0, 0.06, -0.05, 0, 0, 0, 0, 0, 0]),
        "Fence": (["MnPrv", "GdPrv", "GdWo", "MnWw", None], [0.11, 0.04, 0.04, 0.01, 0.8], None),
        "Alley": (["Grvl", "Pave", None], [0.04, 0.03, 0.93], None),
        "MiscFeature": (["Shed", "Gar2", "Othr", "TenC", None], [0.033, 0.002, 0.002, 0.001, 0.962], None),
        "RoofMatl": (["CompShg", "Tar&Grv", "WdShngl", "WdShake", "Metal", "Membran"], [0.982, 0.008, 0.004, 0.004, 0.001, 0.001], None),
        "Street": (["Pave", "Grvl"], [0.996, 0.004], None),
        "Utilities": (["AllPub", "NoSeWa"], [0.999, 0.001], None),
        "LandSlope": (["Gtl", "Mod", "Sev"], [0.95, 0.04, 0.01], None),
        "BsmtExposure": (["No", "Av", "Gd", "Mn", None], [0.65, 0.15, 0.09, 0.08, 0.03], [0, 0.02, 0.06, 0.01, 0]),
        "GarageFinish": (["Unf", "RFn", "Fin", None], [0.42, 0.29, 0.24, 0.05], [-0.03, 0, 0.04, -0.08]),
    }
    for name, (levels, shares, effects) in choices.items():
        shares = np.array(shares) if shares is not None else rng.dirichlet(np.full(len(levels), 0.8))
        picked = rng.choice(len(levels), rows, p=shares / shares.sum())
        columns[name] = np.array(levels, dtype=object)[picked]
        if effects is not None:
            log_price += np.array(effects)[picked]
    log_price += rng.normal(0, 0.11, rows)
    columns["SalePrice"] = np.round(np.exp(log_price), -2)
    frame = pd.DataFrame(columns)
    categorical = [c for c in frame.columns if frame[c].dtype == object]
    numeric = [c for c in frame.columns[:-1] if c not in categorical]
    return frame, {"numeric": numeric, "categorical": categorical}


def messy(rows, rng, problem):
    """A 30-column table as exported from a business system: gaps, spellings, rare and many categories, a few stray tokens."""
    frame = pd.DataFrame({"record_id": [f"R{1000000 + i}" for i in range(rows)]})
    numeric = []
    signal = np.zeros(rows)
    for i in range(12):
        skewed = i % 3 == 0
        values = rng.lognormal(3, 1, rows) if skewed else rng.normal(50, 15, rows)
        weight = [0.9, -0.6, 0.5, 0.4, -0.3, 0.2, 0, 0, 0, 0, 0, 0][i]
        standardized = (np.log(values) - 3) if skewed else (values - 50) / 15
        signal += weight * (np.sin(standardized) if i == 4 else standardized)
        text = np.round(values, 2).astype(str).astype(object)
        text[rng.uniform(size=rows) < 0.05] = ""
        text[rng.uniform(size=rows) < 0.0005] = "n/a"
        frame[f"num_{i}"] = text
        numeric.append(f"num_{i}")
    signal += 0.5 * np.sin(np.log(frame["num_0"].replace({"": "20", "n/a": "20"}).astype(float))) * ((frame["num_1"].replace({"": "50", "n/a": "50"}).astype(float) - 50) / 15)
    categorical = []
    for i, levels in enumerate([3, 5, 8, 12, 20, 40, 60, 150, 400, 6, 4, 10, 25, 2]):
        shares = rng.dirichlet(np.full(levels, 0.6))
        picked = rng.choice(levels, rows, p=shares)
        effect = rng.normal(0, 0.5 if i < 8 else 0, levels)
        signal += effect[picked]
        values = np.array([f"L{i}_{k}" for k in range(levels)], dtype=object)[picked]
        # Every seventh level is also written lower-case with spaces around, as hand-typed entries are.
        respelled = (picked % 7 == 0) & (rng.uniform(size=rows) < 0.5)
        values[respelled] = [f" l{i}_{k} " for k in picked[respelled]]
        values[rng.uniform(size=rows) < 0.03] = None
        frame[f"cat_{i}"] = values
        categorical.append(f"cat_{i}")
    frame["flag_a"] = np.where(rng.uniform(size=rows) < 0.5, "yes", "no")
    frame["flag_b"] = np.where(rng.uniform(size=rows) < 0.3, "True", "False")
    signal += 0.4 * (frame["flag_a"] == "yes")
    categorical += ["flag_a", "flag_b"]
    frame["signup_date"] = pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 1400, rows), unit="D")
    frame["signup_date"] = frame["signup_date"].dt.strftime("%Y-%m-%d")
    if problem == "Regression":
        frame["amount"] = np.round(np.exp(3 + 0.45 * signal + rng.normal(0, 0.35, rows)), 2)
    else:
        logit = 1.3 * signal - np.quantile(1.3 * signal, 0.95) + rng.logistic(0, 0.6, rows)
        frame["fraud"] = np.where(logit > 0, "fraud", "ok")
    return frame, {"numeric": numeric, "categorical": categorical, "ignored": ["record_id", "signup_date"]}


DATA_SETS = {
    "iris": lambda rng: bundled(datasets.load_iris, "species", "MulticlassClassification"),
    "wine": lambda rng: bundled(datasets.load_wine, "cultivar", "MulticlassClassification"),
    "breast_cancer": lambda rng: bundled(datasets.load_breast_cancer, "diagnosis", "BinaryClassification"),
    "digits": lambda rng: bundled(datasets.load_digits, "digit", "MulticlassClassification"),
    "diabetes": lambda rng: bundled(datasets.load_diabetes, "progression", "Regression"),
    "california_like": lambda rng: california_like(6000, rng),
    "friedman1": lambda rng: friedman(2500, rng),
    "housing_like": lambda rng: housing_like(3000, rng),
    "messy_fraud_50k": lambda rng: messy(62500, rng, "BinaryClassification"),
    "messy_amount_50k": lambda rng: messy(62500, rng, "Regression"),
}


def generate(directory, names):
    for name in names:
        frame, kinds = DATA_SETS[name](np.random.default_rng(SEED))
        target = frame.columns[-1]
        classification = frame[target].dtype == object
        problem = ("BinaryClassification" if frame[target].nunique() == 2 else "MulticlassClassification") if classification else "Regression"
        train, test = train_test_split(frame, test_size=0.2, random_state=SEED, stratify=frame[target] if classification else None)
        os.makedirs(f"{directory}/{name}", exist_ok=True)
        train.to_csv(f"{directory}/{name}/train.csv", index=False)
        test.to_csv(f"{directory}/{name}/test.csv", index=False)
        meta = {"name": name, "target": target, "problemType": problem, "rows": len(frame), "trainRows": len(train), "columns": frame.shape[1] - 1, **kinds}
        with open(f"{directory}/{name}/meta.json", "w") as out:
            json.dump(meta, out)
    print(json.dumps(names))


# ---------------------------------------------------------------- peers


def read(directory, name):
    with open(f"{directory}/{name}/meta.json") as meta_file:
        meta = json.load(meta_file)
    frames = [pd.read_csv(f"{directory}/{name}/{part}.csv", dtype=str, keep_default_na=False) for part in ("train", "test")]
    return meta, frames


def features(frame, meta):
    """What a careful data scientist feeds the peers: numbers (stray tokens missing), categories trimmed."""
    x = pd.DataFrame(index=frame.index)
    for column in meta["numeric"]:
        x[column] = pd.to_numeric(frame[column], errors="coerce")
    for column in meta["categorical"]:
        x[column] = frame[column].str.strip().replace("", np.nan).str.lower()
    return x


def one_hot(train, test, meta):
    both = pd.get_dummies(pd.concat([train, test]), columns=meta["categorical"], dtype=float)
    return both.iloc[: len(train)], both.iloc[len(train):]


def ordinal(train, test, meta):
    """Ordinal codes for HistGradientBoosting's native categories (at most 255: the rarest levels share one)."""
    train, test = train.copy(), test.copy()
    for column in meta["categorical"]:
        keep = train[column].value_counts().index[:254]
        for frame in (train, test):
            frame[column] = frame[column].where(frame[column].isin(keep) | frame[column].isna(), "__other__")
    if meta["categorical"]:
        encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan)
        train[meta["categorical"]] = encoder.fit_transform(train[meta["categorical"]])
        test[meta["categorical"]] = encoder.transform(test[meta["categorical"]])
    mask = [column in meta["categorical"] for column in train.columns]
    return train, test, (mask if any(mask) else None)


def linear(meta, classification):
    steps = [("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), meta["numeric"])]
    if meta["categorical"]:
        steps.append(("categorical", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore", min_frequency=10)), meta["categorical"]))
    model = LogisticRegression(max_iter=2000) if classification else Ridge()
    return make_pipeline(ColumnTransformer(steps), model)


def positive_class(labels):
    """The engine's rule (Autopilot's): the minority class, the later label in sort order on a tie."""
    counts = labels.value_counts()
    ordered = sorted(counts.index, key=lambda label: (-counts[label], label))
    return ordered[-1]


def score(meta, y_test, classes, probabilities=None, values=None, positive=None):
    if values is not None:
        truth = y_test.astype(float).to_numpy()
        return {"rmse": float(np.sqrt(mean_squared_error(truth, values))), "mae": float(mean_absolute_error(truth, values)), "r2": float(r2_score(truth, values))}
    predicted = np.array(classes)[np.argmax(probabilities, axis=1)]
    result = {"accuracy": accuracy_score(y_test, predicted), "balancedAccuracy": balanced_accuracy_score(y_test, predicted),
              "logLoss": log_loss(y_test, probabilities, labels=classes)}
    if meta["problemType"] == "BinaryClassification":
        result["f1"] = f1_score(y_test, predicted, pos_label=positive)
    else:
        result["f1macro"] = f1_score(y_test, predicted, average="macro")
    return {key: float(value) for key, value in result.items()}


def timed(fit):
    started = time.perf_counter()
    fitted = fit()
    return fitted, time.perf_counter() - started


def peers(directory, name):
    meta, (train, test) = read(directory, name)
    target = meta["target"]
    classification = meta["problemType"] != "Regression"
    x_train, x_test = features(train, meta), features(test, meta)
    results = {}
    if classification:
        classes = sorted(train[target].unique())
        positive = positive_class(train[target]) if len(classes) == 2 else None
        y_train = np.searchsorted(classes, train[target])
        hot_train, hot_test = one_hot(x_train, x_test, meta)
        model, seconds = timed(lambda: xgboost.XGBClassifier(n_jobs=2, random_state=SEED).fit(hot_train, y_train))
        results["xgboost"] = {**score(meta, test[target], classes, model.predict_proba(hot_test), positive=positive), "seconds": seconds}
        o_train, o_test, mask = ordinal(x_train, x_test, meta)
        model, seconds = timed(lambda: HistGradientBoostingClassifier(categorical_features=mask, random_state=SEED).fit(o_train, y_train))
        results["histGradientBoosting"] = {**score(meta, test[target], classes, model.predict_proba(o_test), positive=positive), "seconds": seconds}
        model, seconds = timed(lambda: linear(meta, True).fit(x_train, y_train))
        results["linear"] = {**score(meta, test[target], classes, model.predict_proba(x_test), positive=positive), "seconds": seconds}
    else:
        y_train = train[target].astype(float).to_numpy()
        hot_train, hot_test = one_hot(x_train, x_test, meta)
        model, seconds = timed(lambda: xgboost.XGBRegressor(n_jobs=2, random_state=SEED).fit(hot_train, y_train))
        results["xgboost"] = {**score(meta, test[target], None, values=model.predict(hot_test)), "seconds": seconds}
        o_train, o_test, mask = ordinal(x_train, x_test, meta)
        model, seconds = timed(lambda: HistGradientBoostingRegressor(categorical_features=mask, random_state=SEED).fit(o_train, y_train))
        results["histGradientBoosting"] = {**score(meta, test[target], None, values=model.predict(o_test)), "seconds": seconds}
        model, seconds = timed(lambda: linear(meta, False).fit(x_train, y_train))
        results["linear"] = {**score(meta, test[target], None, values=model.predict(x_test)), "seconds": seconds}
    engine_file = f"{directory}/{name}/predictions.json"
    if os.path.exists(engine_file):
        with open(engine_file) as predictions_file:
            engine = json.load(predictions_file)
        if classification:
            order = [engine["labels"].index(label) for label in classes]
            probabilities = np.array(engine["probabilities"])[:, order]
            scored = score(meta, test[target], classes, probabilities, positive=positive)
            # The engine's own labels, from its tuned decision threshold (binary) rather than the arg max.
            labelled = np.array(engine["predicted"])
            scored["accuracy"] = float(accuracy_score(test[target], labelled))
            scored["balancedAccuracy"] = float(balanced_accuracy_score(test[target], labelled))
            if positive is not None:
                scored["f1"] = float(f1_score(test[target], labelled, pos_label=positive))
            else:
                scored["f1macro"] = float(f1_score(test[target], labelled, average="macro"))
            results["engine"] = scored
        else:
            results["engine"] = score(meta, test[target], None, values=np.array(engine["values"], dtype=float))
    versions = {"xgboost": xgboost.__version__, "sklearn": sklearn.__version__, "pandas": pd.__version__}
    print(json.dumps({"results": results, "versions": versions}))


if __name__ == "__main__":
    command, directory = sys.argv[1], sys.argv[2]
    if command == "generate":
        generate(directory, sys.argv[3:] or list(DATA_SETS))
    elif command == "peers":
        peers(directory, sys.argv[3])
    else:
        sys.exit(f"unknown command {command}")
